import { verifyToken } from '@clerk/backend';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  errors as joseErrors,
  exportSPKI,
  importJWK,
  jwtVerify,
  type JWK,
} from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TEMPLATE_TOKEN_CATEGORY,
  SESSION_TOKEN_CATEGORY,
  generateInstanceKey,
  publicJwks,
  signSessionToken,
  signTemplateToken,
  type InstanceKey,
} from './tokens';
import type { JwtTemplateJson, SessionJson, UserJson } from './types';

const ISSUER = 'https://local-clerk.test';
const NOW = 1_760_000_000_500; // ms; iat must be floor(NOW / 1000)
const IAT = 1_760_000_000;
const SESSION_CREATED = NOW - 25 * 60_000 - 30_000; // 25.5 minutes earlier

const user: UserJson = {
  object: 'user',
  id: 'user_2tokens',
  external_id: null,
  primary_email_address_id: null,
  primary_phone_number_id: null,
  primary_web3_wallet_id: null,
  username: 'grace',
  first_name: 'Grace',
  last_name: 'Hopper',
  image_url: 'https://img.example/g.png',
  has_image: false,
  public_metadata: { role: 'editor' },
  private_metadata: { secret: 'do-not-leak' },
  unsafe_metadata: {},
  email_addresses: [],
  phone_numbers: [],
  web3_wallets: [],
  passkeys: [],
  external_accounts: [],
  saml_accounts: [],
  enterprise_accounts: [],
  password_enabled: true,
  two_factor_enabled: false,
  totp_enabled: false,
  backup_code_enabled: false,
  banned: false,
  locked: false,
  lockout_expires_in_seconds: null,
  verification_attempts_remaining: null,
  delete_self_enabled: true,
  create_organization_enabled: true,
  last_sign_in_at: null,
  last_active_at: null,
  mfa_enabled_at: null,
  mfa_disabled_at: null,
  legal_accepted_at: null,
  created_at: NOW - 86_400_000,
  updated_at: NOW - 86_400_000,
};

const session: SessionJson = {
  object: 'session',
  id: 'sess_2tokens',
  user_id: user.id,
  client_id: 'client_2tokens',
  actor: null,
  status: 'active',
  last_active_organization_id: null,
  last_active_at: NOW,
  latest_activity: null,
  expire_at: NOW + 7 * 86_400_000,
  abandon_at: NOW + 30 * 86_400_000,
  updated_at: NOW,
  created_at: SESSION_CREATED,
  tasks: null,
};

const template: JwtTemplateJson = {
  object: 'jwt_template',
  id: 'jtmp_1',
  name: 'hasura',
  claims: {
    aud: 'my-api',
    role: '{{user.public_metadata.role}}',
    name: '{{user.full_name}}',
    leak: '{{user.private_metadata}}',
  },
  lifetime: 120,
  allowed_clock_skew: 7,
  custom_signing_key: false,
  signing_algorithm: 'RS256',
  created_at: NOW,
  updated_at: NOW,
};

let key: InstanceKey;
let jwks: ReturnType<typeof createLocalJWKSet>;

beforeAll(async () => {
  key = await generateInstanceKey('ins_2testinstance');
  jwks = createLocalJWKSet(publicJwks(key) as { keys: JWK[] });
});

/** Verifies signature and claims at the fixed NOW, the way an app would at that instant. */
const verifyAtNow = (jwt: string, set = jwks) =>
  jwtVerify(jwt, set, { issuer: ISSUER, algorithms: ['RS256'], currentDate: new Date(NOW) });

describe('generateInstanceKey and publicJwks', () => {
  it('creates a 2048-bit RSA key whose JWKS publishes only public members', async () => {
    const body = publicJwks(key);
    expect(body.keys).toHaveLength(1);
    const [jwk] = body.keys;
    expect(Object.keys(jwk ?? {}).sort()).toStrictEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(jwk).toMatchObject({ use: 'sig', kty: 'RSA', kid: 'ins_2testinstance', alg: 'RS256', e: 'AQAB' });
    expect(Buffer.from(String(jwk?.n), 'base64url').length * 8).toBe(2048);
    for (const member of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'])
      expect(jwk).not.toHaveProperty(member);
    expect(key.privateJwk.d).toBeTruthy(); // the private half is kept for signing, just never published
  });

  it('never publishes private members even when the stored public JWK carries them', () => {
    const sloppy: InstanceKey = { ...key, publicJwk: { ...key.privateJwk } };
    const [jwk] = publicJwks(sloppy).keys;
    expect(Object.keys(jwk ?? {}).sort()).toStrictEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
  });

  it('survives a JSON round trip (how the store persists it) and still signs', async () => {
    const stored = JSON.parse(JSON.stringify(key)) as InstanceKey;
    const jwt = await signSessionToken({ key: stored, issuer: ISSUER, session, user, now: NOW });
    await expect(verifyAtNow(jwt)).resolves.toBeTruthy();
  });

  it('does not sign with a stale cached key when a kid is reused for a new key', async () => {
    const other = await generateInstanceKey('ins_reused');
    const replacement = await generateInstanceKey('ins_reused');
    const first = await signSessionToken({ key: other, issuer: ISSUER, session, user, now: NOW });
    const second = await signSessionToken({ key: replacement, issuer: ISSUER, session, user, now: NOW });
    const replacementSet = createLocalJWKSet(publicJwks(replacement) as { keys: JWK[] });
    await expect(verifyAtNow(second, replacementSet)).resolves.toBeTruthy();
    await expect(verifyAtNow(first, replacementSet)).rejects.toThrow(
      joseErrors.JWSSignatureVerificationFailed,
    );
  });
});

describe('signSessionToken', () => {
  it('mints an RS256 token that verifies against the JWKS, with every claim and header as Clerk sets them', async () => {
    const jwt = await signSessionToken({ key, issuer: ISSUER, session, user, now: NOW });
    const { payload, protectedHeader } = await verifyAtNow(jwt);
    expect(protectedHeader).toStrictEqual({
      alg: 'RS256',
      kid: 'ins_2testinstance',
      typ: 'JWT',
      cat: SESSION_TOKEN_CATEGORY,
    });
    expect(SESSION_TOKEN_CATEGORY).toBe('cl_B7d4PD111AAA');
    expect(payload).toStrictEqual({
      exp: IAT + 60,
      fva: [25, -1],
      iat: IAT,
      iss: ISSUER,
      jti: expect.stringMatching(/^[0-9a-f]{20}$/),
      nbf: IAT - 10,
      sid: 'sess_2tokens',
      sub: 'user_2tokens',
      v: 2,
    });
    expect(payload).not.toHaveProperty('azp');
  });

  it('honours expiresInSeconds and expires when it should', async () => {
    const jwt = await signSessionToken({
      key,
      issuer: ISSUER,
      session,
      user,
      now: NOW,
      expiresInSeconds: 3600,
    });
    const { payload } = await verifyAtNow(jwt);
    expect(payload.exp).toBe(IAT + 3600);
    await expect(jwtVerify(jwt, jwks, { currentDate: new Date((IAT + 3600) * 1000) })).rejects.toThrow(
      joseErrors.JWTExpired,
    );
    await expect(jwtVerify(jwt, jwks, { currentDate: new Date((IAT - 11) * 1000) })).rejects.toThrow(
      joseErrors.JWTClaimValidationFailed, // nbf: not yet valid
    );
  });

  it('gives every token a fresh jti', async () => {
    const jtis = new Set<unknown>();
    for (let i = 0; i < 20; i++) {
      jtis.add(decodeJwt(await signSessionToken({ key, issuer: ISSUER, session, user, now: NOW })).jti);
    }
    expect(jtis.size).toBe(20);
  });

  it('adds act for an impersonated session, o for an active org, sts for a pending one, fva for 2FA users', async () => {
    const jwt = await signSessionToken({
      key,
      issuer: ISSUER,
      user: { ...user, two_factor_enabled: true },
      session: {
        ...session,
        actor: { sub: 'user_support', iss: 'https://dashboard.clerk.com', sid: 'sess_support' },
        last_active_organization_id: 'org_7',
        status: 'pending',
      },
      now: NOW,
    });
    const { payload } = await verifyAtNow(jwt);
    expect(payload.act).toStrictEqual({
      iss: 'https://dashboard.clerk.com',
      sid: 'sess_support',
      sub: 'user_support',
    });
    expect(payload.o).toStrictEqual({ id: 'org_7' });
    expect(payload.sts).toBe('pending');
    expect(payload.fva).toStrictEqual([25, 25]);
    expect(payload.sub).toBe('user_2tokens'); // the impersonated user, not the actor
  });

  it('defaults the actor issuer to the instance issuer', async () => {
    const jwt = await signSessionToken({
      key,
      issuer: ISSUER,
      user,
      session: { ...session, actor: { sub: 'user_support' } },
      now: NOW,
    });
    expect(decodeJwt(jwt).act).toStrictEqual({ iss: ISSUER, sub: 'user_support' });
  });

  it('refuses a session of another user and a nonsensical lifetime', async () => {
    await expect(
      signSessionToken({
        key,
        issuer: ISSUER,
        session: { ...session, user_id: 'user_other' },
        user,
        now: NOW,
      }),
    ).rejects.toThrow(/does not belong/);
    await expect(
      signSessionToken({ key, issuer: ISSUER, session, user, expiresInSeconds: 0 }),
    ).rejects.toThrow(RangeError);
    await expect(
      signSessionToken({ key, issuer: ISSUER, session, user, expiresInSeconds: 1.5 }),
    ).rejects.toThrow(RangeError);
  });

  it('refuses a key without its private half', async () => {
    const publicOnly: InstanceKey = {
      kid: 'ins_publiconly',
      privateJwk: key.publicJwk,
      publicJwk: key.publicJwk,
    };
    await expect(signSessionToken({ key: publicOnly, issuer: ISSUER, session, user })).rejects.toThrow(
      /no private part/,
    );
  });

  it('is accepted by @clerk/backend verifyToken with the instance public key as jwtKey', async () => {
    const pem = await exportSPKI((await importJWK(key.publicJwk as JWK, 'RS256')) as CryptoKey);
    const jwt = await signSessionToken({ key, issuer: ISSUER, session, user });
    const payload = await verifyToken(jwt, { jwtKey: pem });
    expect(payload.sub).toBe('user_2tokens');
    expect(payload.sid).toBe('sess_2tokens');
    expect(payload.iss).toBe(ISSUER);

    const other = await generateInstanceKey('ins_stranger');
    const strangerPem = await exportSPKI((await importJWK(other.publicJwk as JWK, 'RS256')) as CryptoKey);
    await expect(verifyToken(jwt, { jwtKey: strangerPem })).rejects.toThrow(/signature/i);
  });
});

describe('signTemplateToken', () => {
  it('mints an RS256 template token: rendered claims under Clerk defaults, no sid/v/pla/fea', async () => {
    const jwt = await signTemplateToken({ key, issuer: ISSUER, template, session, user, now: NOW });
    const { payload, protectedHeader } = await verifyAtNow(jwt);
    expect(protectedHeader).toStrictEqual({
      alg: 'RS256',
      kid: 'ins_2testinstance',
      typ: 'JWT',
      cat: TEMPLATE_TOKEN_CATEGORY,
    });
    expect(TEMPLATE_TOKEN_CATEGORY).toBe('cl_B7d4PD222AAA');
    expect(payload).toStrictEqual({
      aud: 'my-api',
      role: 'editor',
      name: 'Grace Hopper',
      leak: null,
      exp: IAT + 120,
      iat: IAT,
      iss: ISSUER,
      jti: expect.stringMatching(/^[0-9a-f]{20}$/),
      nbf: IAT - 7,
      sub: 'user_2tokens',
    });
    for (const absent of ['sid', 'v', 'pla', 'fea', 'azp', 'fva']) expect(payload).not.toHaveProperty(absent);
    expect(jwt.split('.')[1]).not.toContain(Buffer.from('do-not-leak').toString('base64url').slice(0, 8));
  });

  it('lets expiresInSeconds override the template lifetime', async () => {
    const jwt = await signTemplateToken({
      key,
      issuer: ISSUER,
      template,
      session,
      user,
      now: NOW,
      expiresInSeconds: 45,
    });
    expect(decodeJwt(jwt).exp).toBe(IAT + 45);
    expect(decodeJwt(jwt).nbf).toBe(IAT - 7);
  });

  it('never lets template claims override the defaults', async () => {
    const forged: JwtTemplateJson = {
      ...template,
      claims: {
        sub: 'user_admin',
        iss: 'https://evil.example',
        exp: 9_999_999_999,
        nbf: 0,
        iat: 0,
        jti: 'fixed',
        azp: 'https://evil.example',
        sid: '{{session.id}}',
      },
    };
    const jwt = await signTemplateToken({ key, issuer: ISSUER, template: forged, session, user, now: NOW });
    const { payload } = await verifyAtNow(jwt);
    expect(payload.sub).toBe('user_2tokens');
    expect(payload.iss).toBe(ISSUER);
    expect(payload.exp).toBe(IAT + 120);
    expect(payload.nbf).toBe(IAT - 7);
    expect(payload.iat).toBe(IAT);
    expect(payload.jti).not.toBe('fixed');
    expect(payload).not.toHaveProperty('azp');
    expect(payload.sid).toBe('sess_2tokens'); // not reserved: a template may add it itself
  });

  it('signs HS256 with the template secret when it has a custom signing key', async () => {
    const secret = 'a-hasura-shared-secret-of-32-bytes!!';
    const hs: JwtTemplateJson = { ...template, custom_signing_key: true, signing_algorithm: 'HS256' };
    const jwt = await signTemplateToken({
      key,
      issuer: ISSUER,
      template: hs,
      session,
      user,
      now: NOW,
      signingKey: secret,
    });
    expect(decodeProtectedHeader(jwt)).toStrictEqual({
      alg: 'HS256',
      typ: 'JWT',
      cat: TEMPLATE_TOKEN_CATEGORY,
    });
    const { payload } = await jwtVerify(jwt, new TextEncoder().encode(secret), {
      algorithms: ['HS256'],
      currentDate: new Date(NOW),
    });
    expect(payload).toMatchObject({ sub: 'user_2tokens', role: 'editor', exp: IAT + 120, nbf: IAT - 7 });
    await expect(
      jwtVerify(jwt, new TextEncoder().encode('wrong-secret'), { currentDate: new Date(NOW) }),
    ).rejects.toThrow(joseErrors.JWSSignatureVerificationFailed);
    await expect(verifyAtNow(jwt)).rejects.toThrow(); // not an instance-key token
  });

  it('stays RS256 when a custom HS256 key is configured but no secret is given', async () => {
    const hs: JwtTemplateJson = { ...template, custom_signing_key: true, signing_algorithm: 'HS256' };
    const jwt = await signTemplateToken({
      key,
      issuer: ISSUER,
      template: hs,
      session,
      user,
      now: NOW,
      signingKey: null,
    });
    const { protectedHeader } = await verifyAtNow(jwt);
    expect(protectedHeader.alg).toBe('RS256');
  });

  it('ignores a signing secret when the template does not use a custom key', async () => {
    const jwt = await signTemplateToken({
      key,
      issuer: ISSUER,
      template,
      session,
      user,
      now: NOW,
      signingKey: 'secret',
    });
    expect(decodeProtectedHeader(jwt).alg).toBe('RS256');
  });

  it('is accepted by @clerk/backend verifyToken', async () => {
    const pem = await exportSPKI((await importJWK(key.publicJwk as JWK, 'RS256')) as CryptoKey);
    const jwt = await signTemplateToken({ key, issuer: ISSUER, template, session, user });
    const payload = await verifyToken(jwt, { jwtKey: pem });
    expect(payload.sub).toBe('user_2tokens');
    expect((payload as Record<string, unknown>).role).toBe('editor');
  });
});

describe('speed', () => {
  it('imports the private JWK once per kid, not on every token', async () => {
    const warm = JSON.parse(JSON.stringify(key)) as InstanceKey;
    await signSessionToken({ key: warm, issuer: ISSUER, session, user, now: NOW });
    // Same kid, modulus and exponent, but WebCrypto would refuse to import this JWK: only a cache hit can sign.
    const { p: _p, q: _q, dp: _dp, ...partial } = warm.privateJwk;
    const jwt = await signSessionToken({
      key: { ...warm, privateJwk: partial },
      issuer: ISSUER,
      session,
      user,
      now: NOW,
    });
    await expect(verifyAtNow(jwt)).resolves.toBeTruthy();
  });
});
