import 'server-only';
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  jwtVerify,
  type JSONWebKeySet,
  type JWK,
} from 'jose';
import type { ClerkClient } from '@clerk/backend';
import { callClerk } from './client';
import { getClerkClient } from './runtime';
import { ConsoleApiError, MESSAGES } from './errors';

// Not jose's createRemoteJWKSet: Clerk's JWKS endpoint wants the secret key, so keys come via the SDK.

export const JWKS_TTL_MS = 5 * 60 * 1000;
const MAX_JWT_LENGTH = 16_384;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const ALGORITHMS = ['RS256', 'RS384', 'RS512'];
const CLOCK_SKEW_SECONDS = 5;

export interface TokenVerification {
  valid: boolean;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  error: string | null;
}

const cache = new WeakMap<ClerkClient, { at: number; jwks: JSONWebKeySet }>();

async function loadJwks(force: boolean): Promise<JSONWebKeySet> {
  const client = getClerkClient();
  const hit = cache.get(client);
  if (!force && hit && Date.now() - hit.at < JWKS_TTL_MS) return hit.jwks;
  const raw = await callClerk({ write: false }, (c) => c.jwks.getJwks());
  const keys = Array.isArray(raw?.keys)
    ? (raw.keys.filter((k) => k && typeof k === 'object') as unknown as JWK[])
    : [];
  const jwks: JSONWebKeySet = { keys };
  cache.set(client, { at: Date.now(), jwks });
  return jwks;
}

export function clearJwksCacheForTests(): void {
  const client = getClerkClient();
  cache.delete(client);
}

const VERIFY_ERRORS: Record<string, string> = {
  ERR_JWT_EXPIRED: 'The token has expired.',
  ERR_JWS_SIGNATURE_VERIFICATION_FAILED: "The signature does not match the instance's public keys.",
  ERR_JWKS_NO_MATCHING_KEY: "No public key of the instance matches the token's key id (kid).",
  ERR_JWKS_MULTIPLE_MATCHING_KEYS: "Several public keys of the instance match the token's key id (kid).",
  ERR_JOSE_ALG_NOT_ALLOWED:
    "The token is not signed with the instance key (RS256/384/512); tokens from templates with a custom signing key can't be verified here.",
  ERR_JWT_CLAIM_VALIDATION_FAILED: 'A time claim of the token (nbf or iat) is not valid yet.',
  ERR_JWS_INVALID: 'The token is malformed.',
  ERR_JWT_INVALID: 'The token is malformed.',
  ERR_JWK_INVALID: "The instance's public keys could not be used.",
  ERR_JOSE_NOT_SUPPORTED: "The instance's public keys could not be used.",
};

const KEYS_UNAVAILABLE = "The instance's public keys could not be loaded, so the signature was not checked.";

function safeDecode(
  jwt: string,
): { header: Record<string, unknown>; claims: Record<string, unknown> } | null {
  try {
    return { header: { ...decodeProtectedHeader(jwt) }, claims: { ...decodeJwt(jwt) } };
  } catch {
    return null;
  }
}

// Never throws: the token is already minted and audited. Errors are fixed sentences, not upstream text.
export async function verifyTokenAgainstJwks(jwt: string): Promise<TokenVerification> {
  if (typeof jwt !== 'string' || jwt.length > MAX_JWT_LENGTH || !COMPACT_JWS.test(jwt)) {
    return { valid: false, header: {}, claims: {}, error: MESSAGES.unverifiable };
  }
  const decoded = safeDecode(jwt);
  if (!decoded) return { valid: false, header: {}, claims: {}, error: MESSAGES.unverifiable };
  const { header, claims } = decoded;

  const attempt = async (force: boolean) =>
    jwtVerify(jwt, createLocalJWKSet(await loadJwks(force)), {
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_SKEW_SECONDS,
    });

  try {
    try {
      await attempt(false);
    } catch (e) {
      // The keys may have rotated since they were cached: fetch once more before calling the kid unknown.
      if ((e as { code?: unknown }).code !== 'ERR_JWKS_NO_MATCHING_KEY') throw e;
      await attempt(true);
    }
    return { valid: true, header, claims, error: null };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const error =
      e instanceof ConsoleApiError
        ? KEYS_UNAVAILABLE
        : typeof code === 'string' && Object.hasOwn(VERIFY_ERRORS, code)
          ? VERIFY_ERRORS[code]!
          : 'The token could not be verified.';
    return { valid: false, header, claims, error };
  }
}
