import 'server-only';
import { SignJWT } from 'jose';
import type { SsfConfig } from '@/lib/env/stream';
import { post } from './http';
import type { StreamRow } from './rows';
import { ssfSigningKey } from './ssf-key';

export const SESSION_REVOKED = 'https://schemas.openid.net/secevent/caep/event-type/session-revoked';

// Every audit action that ends sessions: session.revoke per session (dialog, keep-only, a job's items); the account
// steps end all of a user's sessions (Clerk revokes them on a ban and on a password flagged with revoke-all).
export const REVOKE_ACTIONS: readonly string[] = [
  'session.revoke',
  'account.sign_out_all',
  'account.ban',
  'account.password_compromised',
];

/** A revoke that happened: its outcome row, or a late outcome recorded after someone reconciled it. */
export function isRevoke(row: StreamRow): boolean {
  if (!REVOKE_ACTIONS.includes(row.action) || row.outcome !== 'succeeded') return false;
  if (!row.target.sessionId && (row.action === 'session.revoke' || !row.target.userId)) return false;
  return row.kind === 'outcome' || (row.kind === 'event' && typeof row.details.lateOutcomeOf === 'string');
}

export function intentOf(row: StreamRow): string | null {
  if (row.kind === 'outcome') return row.intentId;
  return typeof row.details.lateOutcomeOf === 'string' ? row.details.lateOutcomeOf : null;
}

export async function sessionRevokedSet(
  cfg: Pick<SsfConfig, 'issuer' | 'audience' | 'signingKey' | 'keyFile'>,
  row: StreamRow,
  reason: string | null,
): Promise<string> {
  const key = await ssfSigningKey(cfg);
  const event: Record<string, unknown> = {
    initiating_entity: 'admin',
    event_timestamp: Math.floor(row.at.getTime() / 1000),
  };
  if (reason) event.reason_admin = { en: reason };
  const txn = intentOf(row);
  return (
    new SignJWT({
      sub_id: {
        format: 'complex',
        ...(row.target.sessionId ? { session: { format: 'opaque', id: row.target.sessionId } } : {}),
        ...(row.target.userId ? { user: { format: 'opaque', id: row.target.userId } } : {}),
      },
      events: { [SESSION_REVOKED]: event },
      ...(txn ? { txn } : {}),
    })
      .setProtectedHeader({ alg: 'ES256', typ: 'secevent+jwt', kid: key.publicJwk.kid })
      .setIssuer(cfg.issuer)
      .setAudience(cfg.audience)
      .setIssuedAt()
      // jti is the outcome row's id: the same revoke replayed is the same SET, which a receiver de-duplicates.
      .setJti(row.id)
      .sign(key.privateKey)
  );
}

/** RFC 8935 push delivery. */
export function caepSender(cfg: SsfConfig, timeoutMs: number) {
  return async (row: StreamRow, reason: string | null): Promise<void> => {
    const set = await sessionRevokedSet(cfg, row, reason);
    await post(cfg.receiverUrl, {
      timeoutMs,
      body: set,
      headers: {
        'content-type': 'application/secevent+jwt',
        accept: 'application/json',
        ...(cfg.authorization ? { authorization: cfg.authorization } : {}),
      },
    });
  };
}
