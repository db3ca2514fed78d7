import { hkdfSync, randomUUID } from 'node:crypto';
import { EncryptJWT, base64url, calculateJwkThumbprint, jwtDecrypt } from 'jose';
import type { JWT, JWTDecodeParams, JWTEncodeParams } from 'next-auth/jwt';

// Auth.js's own session JWE byte for byte (a unit test checks both ways), with the HKDF key and thumbprint cached
// per secret: the proxy and every page decode and re-issue the cookie, and deriving them cost several ms per request.

const ENC = 'A256CBC-HS512';
const keys = new Map<string, Promise<{ key: Uint8Array; kid: string }>>();

function derived(secret: string, salt: string, enc: string) {
  const cacheKey = `${enc}\u0000${salt}\u0000${secret}`;
  let entry = keys.get(cacheKey);
  if (!entry) {
    const length = enc === 'A256GCM' ? 32 : 64;
    const key = new Uint8Array(
      hkdfSync('sha256', secret, salt, `Auth.js Generated Encryption Key (${salt})`, length),
    );
    entry = calculateJwkThumbprint(
      { kty: 'oct', k: base64url.encode(key) },
      `sha${length << 3}` as 'sha256',
    ).then((kid) => ({ key, kid }));
    keys.set(cacheKey, entry);
  }
  return entry;
}

const list = (secret: string | string[]) => (Array.isArray(secret) ? secret : [secret]);

export async function encodeSessionJwt({
  token = {},
  secret,
  salt,
  maxAge = 30 * 24 * 60 * 60,
}: JWTEncodeParams) {
  const { key, kid } = await derived(list(secret)[0]!, salt, ENC);
  const now = Math.floor(Date.now() / 1000);
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: 'dir', enc: ENC, kid })
    .setIssuedAt()
    .setExpirationTime(now + maxAge)
    .setJti(randomUUID())
    .encrypt(key);
}

export async function decodeSessionJwt({ token, secret, salt }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(
    token,
    async ({ kid, enc }) => {
      for (const s of list(secret)) {
        const d = await derived(s, salt, enc);
        if (kid === undefined || kid === d.kid) return d.key;
      }
      throw new Error('no matching decryption secret');
    },
    { clockTolerance: 15, keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: [ENC, 'A256GCM'] },
  );
  return payload as JWT;
}
