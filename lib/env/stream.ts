import 'server-only';
import path from 'node:path';
import { ConfigError, int, isLoopback, parseUrl, raw, type EnvSource } from './parse';

export interface StreamReceiverConfig {
  name: string;
  url: string;
  secret: string;
}

export interface SsfConfig {
  receiverUrl: string;
  audience: string;
  issuer: string;
  /** Sent as the Authorization header of each push, when the receiver asks for one. */
  authorization: string | null;
  /** A private EC P-256 JWK (JSON); else a key generated into `keyFile`. */
  signingKey: string | null;
  keyFile: string;
}

export interface StreamConfig {
  receivers: StreamReceiverConfig[];
  ssf: SsfConfig | null;
  timeoutMs: number;
  pollMs: number;
}

export const MAX_STREAM_RECEIVERS = 5;
const NAME = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const WHSEC = /^whsec_([A-Za-z0-9+/]+={0,2})$/;

function receiverUrl(value: string, name: string, allowLoopbackHttp: boolean): string {
  const url = parseUrl(value, name);
  const httpOk = url.protocol === 'http:' && (isLoopback(url) || allowLoopbackHttp);
  if (url.protocol !== 'https:' && !httpOk)
    throw new ConfigError(`${name} must be an https:// URL (http:// only on a loopback address).`);
  if (url.username || url.password) throw new ConfigError(`${name} must not hold a user name or password.`);
  return url.toString();
}

function receiver(source: EnvSource, n: number, allowLoopbackHttp: boolean): StreamReceiverConfig | null {
  const prefix = n === 1 ? 'AUDIT_STREAM_' : `AUDIT_STREAM_${n}_`;
  const url = raw(source, `${prefix}URL`);
  const secret = raw(source, `${prefix}SECRET`);
  if (url === undefined && secret === undefined) return null;
  if (url === undefined || secret === undefined)
    throw new ConfigError(`${prefix}URL and ${prefix}SECRET must be set together.`);
  const m = WHSEC.exec(secret);
  if (!m || Buffer.from(m[1]!, 'base64').length < 24)
    throw new ConfigError(
      `${prefix}SECRET must be a Standard Webhooks secret: whsec_ then at least 24 bytes in base64.`,
    );
  const name = raw(source, `${prefix}NAME`) ?? (n === 1 ? 'siem' : `receiver-${n}`);
  if (!NAME.test(name) || name === 'ssf')
    throw new ConfigError(
      `${prefix}NAME must be lower-case letters, digits, - or _ (at most 32), and not "ssf".`,
    );
  return { name, url: receiverUrl(url, `${prefix}URL`, allowLoopbackHttp), secret };
}

function parseSsf(
  source: EnvSource,
  o: { allowLoopbackHttp: boolean; dataDir: string; shared: boolean; defaultIssuer: string },
): SsfConfig | null {
  const url = raw(source, 'SSF_RECEIVER_URL');
  if (url === undefined) {
    for (const name of ['SSF_AUDIENCE', 'SSF_ISSUER', 'SSF_RECEIVER_AUTHORIZATION'])
      if (raw(source, name) !== undefined)
        throw new ConfigError(`${name} needs SSF_RECEIVER_URL to be set too.`);
    return null;
  }
  const receiverUrlValue = receiverUrl(url, 'SSF_RECEIVER_URL', o.allowLoopbackHttp);
  const audience = raw(source, 'SSF_AUDIENCE') ?? new URL(receiverUrlValue).origin;
  const issuer = raw(source, 'SSF_ISSUER') ?? o.defaultIssuer;
  parseUrl(issuer, 'SSF_ISSUER');
  const authorization = raw(source, 'SSF_RECEIVER_AUTHORIZATION') ?? null;
  if (authorization !== null && !/^[\x20-\x7e]{1,4096}$/.test(authorization))
    throw new ConfigError('SSF_RECEIVER_AUTHORIZATION must be printable text without line breaks.');
  const signingKey = raw(source, 'SSF_SIGNING_KEY') ?? null;
  if (signingKey !== null) {
    let jwk: unknown;
    try {
      jwk = JSON.parse(signingKey);
    } catch {
      jwk = null;
    }
    const k = jwk as { kty?: unknown; crv?: unknown; d?: unknown } | null;
    if (!k || k.kty !== 'EC' || k.crv !== 'P-256' || typeof k.d !== 'string')
      throw new ConfigError('SSF_SIGNING_KEY must be a private EC P-256 key as a JWK (JSON).');
  } else if (o.shared) {
    // A key generated per instance would make every instance sign with its own key and publish only one.
    throw new ConfigError(
      'SSF_SIGNING_KEY must be set when DATABASE_URL is set: all instances sign with one key.',
    );
  }
  return {
    receiverUrl: receiverUrlValue,
    audience,
    issuer,
    authorization,
    signingKey,
    keyFile: path.join(o.dataDir, 'ssf-signing-key.json'),
  };
}

export function parseStream(
  source: EnvSource,
  o: {
    allowLoopbackHttp: boolean;
    dataDir: string;
    databaseUrl: string | null;
    authUrl: string | null;
    port: number;
  },
): StreamConfig {
  const receivers: StreamReceiverConfig[] = [];
  for (let n = 1; n <= MAX_STREAM_RECEIVERS; n++) {
    const r = receiver(source, n, o.allowLoopbackHttp);
    if (!r) continue;
    if (receivers.some((x) => x.name === r.name))
      throw new ConfigError('AUDIT_STREAM_*_NAME: two receivers share one name.');
    receivers.push(r);
  }
  const defaultIssuer = o.authUrl ? new URL(o.authUrl).origin : `http://localhost:${o.port}`;
  return {
    receivers,
    ssf: parseSsf(source, { ...o, shared: o.databaseUrl !== null, defaultIssuer }),
    timeoutMs: int(
      source,
      'AUDIT_STREAM_TIMEOUT_MS',
      { min: 500, max: 60_000, fallback: 10_000 },
      'AUDIT_STREAM_TIMEOUT_MS must be a whole number of milliseconds from 500 to 60000.',
    ),
    pollMs: int(
      source,
      'AUDIT_STREAM_POLL_MS',
      { min: 20, max: 60_000, fallback: 1_000 },
      'AUDIT_STREAM_POLL_MS must be a whole number of milliseconds from 20 to 60000.',
    ),
  };
}
