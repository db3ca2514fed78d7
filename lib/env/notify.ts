import 'server-only';
import { ConfigError, int, parseUrl, raw, type EnvSource } from './parse';

export interface NotifyConfig {
  /** Null with `localCatcher`: the embedded SMTP server's URL is only known once it listens. */
  smtpUrl: string | null;
  localCatcher: boolean;
  from: string;
  maxAttempts: number;
  pollMs: number;
}

const FROM = /^(?:[^<>\r\n\x00-\x1f"]{1,80} )?<?[^\s<>@"]{1,64}@[A-Za-z0-9.-]{1,190}>?$/;

export function parseNotify(source: EnvSource, mode: 'local' | 'remote'): NotifyConfig {
  const value = raw(source, 'SMTP_URL');
  let smtpUrl: string | null = null;
  if (value !== undefined) {
    const url = parseUrl(value, 'SMTP_URL');
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
      throw new ConfigError('SMTP_URL must be an smtp:// or smtps:// URL.');
    smtpUrl = value;
  }
  const from = raw(source, 'SMTP_FROM') ?? 'Session Console <no-reply@session-console.invalid>';
  if (!FROM.test(from)) throw new ConfigError('SMTP_FROM must be an address, or a name and <address>.');
  return {
    smtpUrl,
    localCatcher: smtpUrl === null && mode === 'local',
    from,
    maxAttempts: int(
      source,
      'SMTP_MAX_ATTEMPTS',
      { min: 1, max: 50, fallback: 8 },
      'SMTP_MAX_ATTEMPTS must be a whole number from 1 to 50.',
    ),
    pollMs: int(
      source,
      'SMTP_POLL_MS',
      { min: 20, max: 60_000, fallback: 2_000 },
      'SMTP_POLL_MS must be a whole number of milliseconds from 20 to 60000.',
    ),
  };
}
