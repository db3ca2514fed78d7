import { decode, encode } from '@auth/core/jwt';
import { describe, expect, it } from 'vitest';
import { decodeSessionJwt, encodeSessionJwt } from './session-jwt';

const secret = 'a-test-secret-that-is-long-enough-0123456789';
const salt = 'console.session';
const claims = {
  staffId: 'stf_1',
  sessionVersion: 3,
  signedInAt: 1_700_000_000_000,
  provider: 'credentials',
};

describe('session JWT (Auth.js format, cached key)', () => {
  it('reads what Auth.js wrote and Auth.js reads what it writes', async () => {
    const theirs = await encode({ token: claims, secret, salt, maxAge: 1800 });
    expect(await decodeSessionJwt({ token: theirs, secret, salt })).toMatchObject(claims);
    const ours = await encodeSessionJwt({ token: claims, secret, salt, maxAge: 1800 });
    const back = await decode({ token: ours, secret, salt });
    expect(back).toMatchObject(claims);
    expect(back!.exp! - back!.iat!).toBe(1800);
    expect(typeof back!.jti).toBe('string');
  });

  it('refuses another secret, another salt, a tampered token and an expired one', async () => {
    const ours = await encodeSessionJwt({ token: claims, secret, salt, maxAge: 1800 });
    await expect(decodeSessionJwt({ token: ours, secret: `${secret}x`, salt })).rejects.toThrow();
    await expect(decodeSessionJwt({ token: ours, secret, salt: '__Host-console.session' })).rejects.toThrow();
    const parts = ours.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BB' : 'AA'}`;
    await expect(decodeSessionJwt({ token: parts.join('.'), secret, salt })).rejects.toThrow();
    const expired = await encode({ token: claims, secret, salt, maxAge: -60 });
    await expect(decodeSessionJwt({ token: expired, secret, salt })).rejects.toThrow();
    expect(await decodeSessionJwt({ token: undefined, secret, salt })).toBeNull();
  });

  it('accepts a token from a previous secret when given the list (rotation)', async () => {
    const old = await encode({ token: claims, secret: 'the-old-secret-0123456789-0123456789', salt });
    expect(
      await decodeSessionJwt({ token: old, secret: [secret, 'the-old-secret-0123456789-0123456789'], salt }),
    ).toMatchObject(claims);
  });
});
