import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import type { SsfConfig } from '@/lib/env/stream';

export interface SsfSigningKey {
  privateKey: CryptoKey | Uint8Array;
  publicJwk: JWK & { kid: string; alg: 'ES256'; use: 'sig' };
}

async function readOrCreate(file: string): Promise<JWK> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT')
      throw new Error('The SSF signing key file is unreadable.');
  }
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    // `wx`: two processes starting together agree on the first key written.
    fs.writeFileSync(file, `${JSON.stringify(jwk)}\n`, { flag: 'wx', mode: 0o600 });
    return jwk;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST')
      throw new Error('The SSF signing key could not be saved.');
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  }
}

async function load(cfg: Pick<SsfConfig, 'signingKey' | 'keyFile'>): Promise<SsfSigningKey> {
  const jwk = cfg.signingKey ? (JSON.parse(cfg.signingKey) as JWK) : await readOrCreate(cfg.keyFile);
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || !jwk.d)
    throw new Error('The SSF signing key is not an EC P-256 key.');
  const { kty, crv, x, y } = jwk;
  const pub = { kty, crv, x, y } as JWK;
  const kid = await calculateJwkThumbprint(pub);
  return {
    privateKey: await importJWK(jwk, 'ES256'),
    publicJwk: { ...pub, kid, alg: 'ES256', use: 'sig' },
  };
}

const KEYS = Symbol.for('session-console.ssf-keys');
const cache: Map<string, Promise<SsfSigningKey>> = ((
  globalThis as { [KEYS]?: Map<string, Promise<SsfSigningKey>> }
)[KEYS] ??= new Map());

export function ssfSigningKey(cfg: Pick<SsfConfig, 'signingKey' | 'keyFile'>): Promise<SsfSigningKey> {
  const key = cfg.signingKey ? `env:${cfg.signingKey}` : `file:${cfg.keyFile}`;
  let pending = cache.get(key);
  if (!pending) {
    pending = load(cfg);
    cache.set(key, pending);
    pending.catch(() => cache.delete(key));
  }
  return pending;
}

export async function ssfJwks(cfg: Pick<SsfConfig, 'signingKey' | 'keyFile'>): Promise<{ keys: JWK[] }> {
  return { keys: [(await ssfSigningKey(cfg)).publicJwk] };
}
