import { randomBytes } from 'node:crypto';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';
import { RESERVED_TEMPLATE_CLAIMS, renderClaims } from './shortcodes';
import type { JwtTemplateJson, SessionJson, UserJson } from './types';

export interface InstanceKey {
  kid: string;
  privateJwk: JsonWebKey;
  publicJwk: JsonWebKey;
}

/** `cat` header values from @clerk/backend's jwtCategories: it refuses template tokens where a session one belongs. */
export const SESSION_TOKEN_CATEGORY = 'cl_B7d4PD111AAA';
export const TEMPLATE_TOKEN_CATEGORY = 'cl_B7d4PD222AAA';

export const DEFAULT_SESSION_TOKEN_LIFETIME_SECONDS = 60;
/** Clerk backdates a session token's `nbf` by 10 s to absorb clock drift between its servers and the app's. */
export const SESSION_TOKEN_NBF_SKEW_SECONDS = 10;

const CUSTOM_KEY_ALGORITHMS = new Set(['HS256', 'HS384', 'HS512']);

export async function generateInstanceKey(kid: string): Promise<InstanceKey> {
  if (!kid) throw new TypeError('an instance key needs a kid');
  const { privateKey, publicKey } = await generateKeyPair('RS256', {
    modulusLength: 2048,
    extractable: true,
  });
  const [priv, pub] = await Promise.all([exportJWK(privateKey), exportJWK(publicKey)]);
  const key: InstanceKey = {
    kid,
    privateJwk: { ...priv, alg: 'RS256', use: 'sig' } as JsonWebKey,
    publicJwk: { ...pub, alg: 'RS256', use: 'sig' } as JsonWebKey,
  };
  keyCache.set(kid, { n: priv.n ?? '', d: priv.d ?? '', key: Promise.resolve(privateKey) });
  return key;
}

/** Fields picked one by one (never spread), so a private JWK member can never be published by mistake. */
export function publicJwks(key: InstanceKey): { keys: Record<string, unknown>[] } {
  const { n, e } = key.publicJwk;
  if (!n || !e) throw new TypeError(`instance key ${key.kid} has no RSA public components`);
  return { keys: [{ use: 'sig', kty: 'RSA', kid: key.kid, alg: 'RS256', n, e }] };
}

export async function signSessionToken(o: {
  key: InstanceKey;
  issuer: string;
  session: SessionJson;
  user: UserJson;
  expiresInSeconds?: number;
  now?: number;
}): Promise<string> {
  const { session, user } = o;
  assertSameUser(session, user);
  const iat = toSeconds(o.now ?? Date.now());
  const lifetime = lifetimeSeconds(o.expiresInSeconds ?? DEFAULT_SESSION_TOKEN_LIFETIME_SECONDS);

  // Alphabetical, as Clerk emits them. No `azp`: these tokens are minted server side, with no request origin.
  const claims: JWTPayload = {};
  const act = actorClaim(session, o.issuer);
  if (act) claims.act = act;
  claims.exp = iat + lifetime;
  claims.fva = factorVerificationAge(session, user, o.now ?? Date.now());
  claims.iat = iat;
  claims.iss = o.issuer;
  claims.jti = newJti();
  claims.nbf = iat - SESSION_TOKEN_NBF_SKEW_SECONDS;
  // Clerk's `o` also carries slug, role and permissions; the embedded API has no organizations, only the id.
  if (session.last_active_organization_id) claims.o = { id: session.last_active_organization_id };
  claims.sid = session.id;
  if (session.status === 'pending') claims.sts = 'pending';
  claims.sub = user.id;
  claims.v = 2;

  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: o.key.kid, typ: 'JWT', cat: SESSION_TOKEN_CATEGORY })
    .sign(await privateKey(o.key));
}

// Clerk's defaults win: reserved names are stripped (even if validation let one in), so no template forges `sub`.
// HMAC (no kid) only for an HMAC `custom_signing_key` template AND a caller-passed `signingKey`; otherwise RS256.
export async function signTemplateToken(o: {
  key: InstanceKey;
  issuer: string;
  template: JwtTemplateJson;
  session: SessionJson;
  user: UserJson;
  expiresInSeconds?: number;
  now?: number;
  signingKey?: string | null;
}): Promise<string> {
  const { template, session, user } = o;
  assertSameUser(session, user);
  const iat = toSeconds(o.now ?? Date.now());
  const lifetime = lifetimeSeconds(o.expiresInSeconds ?? template.lifetime);
  const skew = template.allowed_clock_skew;
  if (!Number.isInteger(skew) || skew < 0) throw new RangeError(`invalid allowed_clock_skew: ${skew}`);

  const rendered = renderClaims(template.claims, { user, session });
  for (const reserved of RESERVED_TEMPLATE_CLAIMS) delete rendered[reserved];
  const claims: JWTPayload = {
    ...rendered,
    exp: iat + lifetime,
    iat,
    iss: o.issuer,
    jti: newJti(),
    nbf: iat - skew,
    sub: user.id,
  };

  const hmac =
    template.custom_signing_key && CUSTOM_KEY_ALGORITHMS.has(template.signing_algorithm) && o.signingKey
      ? template.signing_algorithm
      : null;
  const jwt = new SignJWT(claims);
  if (hmac) {
    return jwt
      .setProtectedHeader({ alg: hmac, typ: 'JWT', cat: TEMPLATE_TOKEN_CATEGORY })
      .sign(new TextEncoder().encode(o.signingKey ?? ''));
  }
  return jwt
    .setProtectedHeader({ alg: 'RS256', kid: o.key.kid, typ: 'JWT', cat: TEMPLATE_TOKEN_CATEGORY })
    .sign(await privateKey(o.key));
}

/** Cached by kid with modulus and exponent, so a different key under a reused kid is re-imported. */
const keyCache = new Map<string, { n: string; d: string; key: Promise<CryptoKey> }>();
const KEY_CACHE_MAX = 32;

function privateKey(k: InstanceKey): Promise<CryptoKey> {
  const { n = '', d = '' } = k.privateJwk;
  const hit = keyCache.get(k.kid);
  if (hit && hit.n === n && hit.d === d) return hit.key;
  if (!d) return Promise.reject(new TypeError(`instance key ${k.kid} has no private part`));
  const key = importJWK({ ...(k.privateJwk as JWK), alg: 'RS256' }, 'RS256') as Promise<CryptoKey>;
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(k.kid, { n, d, key });
  key.catch(() => {
    if (keyCache.get(k.kid)?.key === key) keyCache.delete(k.kid);
  });
  return key;
}

function assertSameUser(session: SessionJson, user: UserJson) {
  // A mismatch is a caller bug that would mint a token tying one user's session to another user's identity.
  if (session.user_id !== user.id)
    throw new Error(`session ${session.id} does not belong to user ${user.id}`);
}

function toSeconds(ms: number): number {
  if (!Number.isFinite(ms)) throw new RangeError(`invalid time: ${ms}`);
  return Math.floor(ms / 1000);
}

function lifetimeSeconds(s: number): number {
  if (!Number.isInteger(s) || s <= 0) throw new RangeError(`invalid token lifetime: ${s}`);
  return s;
}

function newJti(): string {
  return randomBytes(10).toString('hex');
}

function actorClaim(session: SessionJson, issuer: string): Record<string, string> | null {
  const actor = session.actor;
  if (!actor || typeof actor.sub !== 'string') return null;
  // Clerk's `act` is {iss, sid, sub}; an actor stored without an issuer was impersonating through this instance.
  const act: Record<string, string> = { iss: typeof actor.iss === 'string' ? actor.iss : issuer };
  if (typeof actor.sid === 'string') act.sid = actor.sid;
  act.sub = actor.sub;
  return act;
}

/** `fva`: no reverification history, so both factors count as verified at sign-in (the second only with 2FA). */
function factorVerificationAge(session: SessionJson, user: UserJson, nowMs: number): [number, number] {
  const minutes = Math.max(0, Math.floor((nowMs - session.created_at) / 60_000));
  if (!Number.isFinite(minutes)) return [-1, -1];
  return [minutes, user.two_factor_enabled ? minutes : -1];
}
