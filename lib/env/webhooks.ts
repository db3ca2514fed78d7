import 'server-only';
import { ConfigError, flag, int, raw, type EnvSource } from './parse';

export interface WebhooksConfig {
  /** Null: no receiver (POST /api/webhooks/clerk answers 404) and no index fed by Clerk. */
  signingSecret: string | null;
  retentionDays: number;
  backfill: boolean;
}

// Svix's format: whsec_ then the base64 of a 24 to 64 byte key.
const SECRET = /^whsec_[A-Za-z0-9+/]{32,88}={0,2}$/;

export function parseWebhooks(source: EnvSource): WebhooksConfig {
  const secret = raw(source, 'CLERK_WEBHOOK_SIGNING_SECRET')?.trim();
  if (secret !== undefined && !SECRET.test(secret))
    throw new ConfigError(
      'CLERK_WEBHOOK_SIGNING_SECRET must be the whsec_… signing secret of a Clerk webhook endpoint.',
    );
  return {
    signingSecret: secret ?? null,
    retentionDays: int(
      source,
      'SESSION_INDEX_RETENTION_DAYS',
      { min: 1, max: 3650, fallback: 90 },
      'SESSION_INDEX_RETENTION_DAYS must be a whole number of days from 1 to 3650.',
    ),
    backfill: flag(source, 'SESSION_INDEX_BACKFILL') ?? true,
  };
}
