import pino, { type DestinationStream, type Logger } from 'pino';

// No `server-only`: plain-Node scripts log too. Three redaction layers: redact paths, key walk, line scrub.

export const REDACTED = '[REDACTED]';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const SENSITIVE_KEYS = new Set([
  'password',
  'passwd',
  'newpassword',
  'currentpassword',
  'secret',
  'secretkey',
  'clerksecretkey',
  'localclerksecretkey',
  'authsecret',
  'clientsecret',
  'token',
  'jwt',
  'accesstoken',
  'idtoken',
  'refreshtoken',
  'sessiontoken',
  'expiredtoken',
  'authorization',
  'proxyauthorization',
  'cookie',
  'cookies',
  'setcookie',
  'apikey',
  'xapikey',
  'privatekey',
  'signingkey',
  'databaseurl',
]);

// The only key-based layer for child-logger bindings: pino runs the bindings formatter on the root only.
const TOP_LEVEL_SENSITIVE = [
  'passwd',
  'secret',
  'accessToken',
  'access_token',
  'idToken',
  'id_token',
  'refreshToken',
  'refresh_token',
  'sessionToken',
  'session_token',
  'apiKey',
  'api_key',
  'privateKey',
  'databaseUrl',
  'DATABASE_URL',
  'cookies',
  '["set-cookie"]',
];

const REDACT_PATHS = [
  ...TOP_LEVEL_SENSITIVE,
  'password',
  '*.password',
  'secretKey',
  '*.secretKey',
  'clerkSecretKey',
  '*.clerkSecretKey',
  'authSecret',
  '*.authSecret',
  'clientSecret',
  '*.clientSecret',
  'token',
  '*.token',
  'jwt',
  '*.jwt',
  'authorization',
  '*.authorization',
  'cookie',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

const SECRET_PATTERNS: readonly [RegExp, string][] = [
  [/\bsk_(?:test|live)_[A-Za-z0-9_-]+/g, '[REDACTED_SECRET_KEY]'],
  [/\bwhsec_[A-Za-z0-9+/=]+/g, '[REDACTED_WEBHOOK_SECRET]'],
  [/\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*){1,3}/g, '[REDACTED_JWT]'],
  [/\b(Bearer|Basic)\s+[^\s"'\\,;]+/gi, '$1 [REDACTED]'],
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']*):[^\s@/"']*@/gi, '$1:[REDACTED]@'],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

function isSensitiveKey(key: string): boolean {
  return SENSITIVE_KEYS.has(key.toLowerCase().replace(/[-_]/g, ''));
}

const MAX_DEPTH = 8;

export function redactValue(value: unknown, depth = 0, seen: WeakSet<object> = new WeakSet()): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (depth >= MAX_DEPTH) return '[Truncated]';
  seen.add(value);
  if (value instanceof Error) {
    const out: Record<string, unknown> = { type: value.name, message: scrubSecrets(value.message) };
    if (value.stack) out.stack = scrubSecrets(value.stack);
    const code = (value as { code?: unknown }).code;
    if (typeof code === 'string' || typeof code === 'number') out.code = code;
    return out;
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    out[key] = isSensitiveKey(key) ? REDACTED : redactValue(inner, depth + 1, seen);
  }
  return out;
}

function defaultLevel(): string {
  const fromEnv = process.env.LOG_LEVEL?.toLowerCase();
  if (fromEnv && LEVELS.has(fromEnv)) return fromEnv;
  return process.env.NODE_ENV === 'test' ? 'silent' : 'info';
}

export interface LoggerOptions {
  level?: string;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}, destination?: DestinationStream): Logger {
  const level = options.level && LEVELS.has(options.level) ? options.level : defaultLevel();
  const opts: pino.LoggerOptions = {
    level,
    name: options.name ?? 'session-console',
    base: { pid: process.pid },
    redact: { paths: REDACT_PATHS, censor: REDACTED },
    formatters: {
      log: (obj) => redactValue(obj) as Record<string, unknown>,
      bindings: (bindings) => redactValue(bindings) as Record<string, unknown>,
    },
    hooks: {
      logMethod(args, method) {
        const scrubbed = args.map((a) => (typeof a === 'string' ? scrubSecrets(a) : a)) as Parameters<
          typeof method
        >;
        method.apply(this, scrubbed);
      },
      streamWrite: (line) => scrubSecrets(line),
    },
  };
  return destination ? pino(opts, destination) : pino(opts);
}

export const log: Logger = createLogger();
