import 'server-only';
import type { Db } from '@/lib/db';
import { toDate } from '@/lib/db/values';
import { parseDetails } from '@/lib/audit/sanitize';
import type { OpenMint } from '@/lib/vocabulary';

// A template token cannot be recalled: what the console minted for a user stays valid until its `exp`. The mint's
// intent holds the session and the lifetime asked for; its outcome the token's `exp` (seconds) once Clerk answered.

const MAX_SESSIONS = 500;
const MAX_MINTS = 200;

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export async function openMints(
  db: Db,
  input: { sessionIds: readonly string[]; now: number; maxLifetimeSeconds: number },
): Promise<OpenMint[]> {
  const sessionIds = [...new Set(input.sessionIds)].slice(0, MAX_SESSIONS);
  if (!sessionIds.length) return [];
  const rows = await db
    .selectFrom('audit_log as e')
    .leftJoin('audit_log as o', 'o.intent_id', 'e.id')
    .where('e.kind', '=', 'intent')
    .where('e.action', '=', 'token.create')
    .where('e.session_id', 'in', sessionIds)
    .select(['e.id', 'e.at', 'e.session_id', 'e.details', 'o.outcome as o_outcome', 'o.details as o_details'])
    .orderBy('e.at', 'desc')
    .limit(MAX_MINTS)
    .execute();
  const open: OpenMint[] = [];
  for (const r of rows) {
    if (r.o_outcome === 'failed' || !r.session_id) continue;
    const asked = parseDetails(r.details);
    const minted = toDate(r.at).getTime();
    const exp = r.o_outcome === 'succeeded' ? num(parseDetails(r.o_details).expiresAt) : null;
    const confirmed = exp !== null;
    // Unconfirmed: Clerk may have minted it, with at most the lifetime asked for (or the console's cap).
    const lifetime = num(asked.expiresInSeconds) ?? input.maxLifetimeSeconds;
    const expiresAt = confirmed ? exp * 1000 : minted + lifetime * 1000;
    if (expiresAt <= input.now) continue;
    open.push({
      intentId: r.id,
      sessionId: r.session_id,
      template: str(asked.template),
      mintedAt: minted,
      expiresAt,
      confirmed,
    });
  }
  return open.sort((a, b) => b.expiresAt - a.expiresAt);
}
