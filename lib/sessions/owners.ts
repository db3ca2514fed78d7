import 'server-only';
import { listSessions } from '@/lib/clerk';

// Whose session is whose, as Clerk reported it. A session never changes owner, so what was learned once stays
// true: the map only saves upstream reads (a bulk revoke asks once per 500 sessions, not once per batch).
const MAX_KNOWN = 50_000;
const known = new Map<string, string>();

function remember(sessionId: string, userId: string): void {
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(sessionId, userId);
}

/**
 * The owners Clerk reports for `sessionIds`, checked against the claimed user's newest active sessions (one
 * list read, only when some id is not known yet). A batch is revoked newest first, so what it is about to
 * revoke is among them; an id that is not (already inactive, or someone else's) is left out: its intent names
 * no user and its outcome names the owner from the revoke's own answer.
 */
export async function sessionOwners(
  claimedUserId: string,
  sessionIds: readonly string[],
): Promise<Map<string, string>> {
  if (sessionIds.some((id) => !known.has(id))) {
    const page = await listSessions({ userId: claimedUserId, status: 'active', limit: 500, offset: 0 });
    for (const s of page.data) remember(s.id, s.userId);
  }
  const out = new Map<string, string>();
  for (const id of sessionIds) {
    const owner = known.get(id);
    if (owner) out.set(id, owner);
  }
  return out;
}

export function rememberSessionOwner(sessionId: string, userId: string): void {
  remember(sessionId, userId);
}
