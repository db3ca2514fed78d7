import { describe, expect, it } from 'vitest';
import { oidcIdentity } from './oidc-identity';

const ISSUER = 'https://idp.example';

describe('oidcIdentity', () => {
  it('counts an email as verified only for the boolean true', () => {
    for (const email_verified of ['true', 1, 'yes', null, undefined, false, {}])
      expect(oidcIdentity({ email: 'a@corp.example', sub: 's', email_verified }, ISSUER).emailVerified).toBe(
        false,
      );
    expect(oidcIdentity({ email: 'a@corp.example', sub: 's', email_verified: true }, ISSUER)).toEqual({
      email: 'a@corp.example',
      subject: 's',
      issuer: ISSUER,
      emailVerified: true,
      authTime: null,
    });
  });

  it('keeps the subject and auth_time only when they have the right type', () => {
    expect(
      oidcIdentity({ email: ' A@Corp.Example ', sub: 42, auth_time: '1700000000' }, ISSUER),
    ).toMatchObject({
      email: 'a@corp.example',
      subject: null,
      authTime: null,
    });
    expect(oidcIdentity({ sub: 'x', auth_time: 1_700_000_000 }, ISSUER)).toMatchObject({
      email: null,
      subject: 'x',
      authTime: 1_700_000_000_000,
    });
    expect(oidcIdentity(null, ISSUER)).toMatchObject({ email: null, subject: null, emailVerified: false });
  });
});
