import 'server-only';
import { verifyWebhook } from '@clerk/backend/webhooks';
import { auditLog } from '@/lib/audit';
import { readLimitedBody } from '@/lib/http/read-limited-body';
import type { Db } from '@/lib/db';
import { log } from '@/lib/log';
import type { RequestContext } from '@/lib/request-context';
import {
  clerkSessionJson,
  clerkUserJson,
  sessionFromJson,
  userSnapshotFromJson,
} from '@/lib/session-index/from-clerk';
import { onSessionIndexed } from '@/lib/session-index/on-indexed';
import { sessionIndex } from '@/lib/session-index/store';
import type { IndexedSession } from '@/lib/session-index/types';

export const MAX_WEBHOOK_BYTES = 256 * 1024;
export const WEBHOOK_PATH = '/api/webhooks/clerk';

const SESSION_EVENTS = new Set([
  'session.created',
  'session.pending',
  'session.ended',
  'session.removed',
  'session.revoked',
]);
const USER_EVENTS = new Set(['user.created', 'user.updated', 'user.deleted']);

export type Refusal = 'bad_signature' | 'stale' | 'replayed' | 'missing_headers';

export interface ReceiverDeps {
  db: Db;
  signingSecret: string | null;
  ctx: RequestContext;
  now?: () => number;
}

const NO_STORE = { 'Cache-Control': 'no-store', 'Content-Type': 'application/json' };

function answer(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), { status, headers: NO_STORE });
}

function refusalOf(e: unknown): Refusal {
  const message = e instanceof Error ? e.message : '';
  if (/timestamp too (old|new)/i.test(message)) return 'stale';
  if (/missing required/i.test(message)) return 'missing_headers';
  return 'bad_signature';
}

const REFUSAL_TEXT: Record<Refusal, string> = {
  bad_signature: 'The webhook signature does not verify.',
  stale: 'The webhook timestamp is outside the tolerance.',
  replayed: 'This webhook delivery was already received.',
  missing_headers: 'The webhook signature headers are missing.',
};

async function refuse(deps: ReceiverDeps, why: Refusal): Promise<Response> {
  try {
    // Folded like refused sign-ins: one counted row per source, refusal and minute, whatever the volume.
    await auditLog(deps.db).denied({
      actor: { staffId: null, email: 'clerk-webhook', role: null },
      action: 'access.denied',
      code: 'unauthenticated',
      details: { where: `POST ${WEBHOOK_PATH}: ${why}` },
      ctx: deps.ctx,
    });
  } catch {
    // Refused whether or not the refusal could be written down.
  }
  return answer(400, { error: REFUSAL_TEXT[why] });
}

/** POST /api/webhooks/clerk: verify (Standard Webhooks, as Clerk's helper does), apply once, in updated_at order. */
export async function receiveClerkWebhook(request: Request, deps: ReceiverDeps): Promise<Response> {
  if (!deps.signingSecret) return answer(404, { error: 'No webhook endpoint is configured.' });
  const now = deps.now ?? Date.now;
  const read = await readLimitedBody(request, MAX_WEBHOOK_BYTES);
  if (!read.ok) return answer(413, { error: `The body is larger than ${MAX_WEBHOOK_BYTES} bytes.` });
  const body = read.text;
  let event: { type: string; data: unknown; timestamp?: unknown };
  try {
    event = (await verifyWebhook(
      new Request(request.url, { method: 'POST', headers: request.headers, body }),
      {
        signingSecret: deps.signingSecret,
      },
    )) as typeof event;
  } catch (e) {
    return refuse(deps, refusalOf(e));
  }
  const svixId = (request.headers.get('svix-id') ?? '').trim().slice(0, 200);
  const signedAt = Number(request.headers.get('svix-timestamp')) * 1000;
  const receivedAt = now();
  let written: IndexedSession[] = [];
  let outcome = 'new' as 'new' | 'retry' | 'replay';
  try {
    await deps.db.transaction().execute(async (trx) => {
      const index = sessionIndex(trx);
      const known = SESSION_EVENTS.has(event.type) || USER_EVENTS.has(event.type);
      outcome = await index.claimDelivery({
        svixId,
        eventType: event.type,
        signedAt,
        now: receivedAt,
        applied: known,
      });
      if (outcome !== 'new' || !known) return;
      written = await apply(index, event, receivedAt);
      const at = typeof event.timestamp === 'number' ? event.timestamp : signedAt;
      await index.recordDelivery(receivedAt, receivedAt - at);
    });
  } catch (e) {
    if (e instanceof MalformedEvent)
      return answer(422, { error: 'The event does not have the shape Clerk sends.' });
    throw e;
  }
  if (outcome === 'replay') return refuse(deps, 'replayed');
  if (written.length) {
    await onSessionIndexed(written, { db: deps.db }).catch((e: unknown) =>
      log.warn({ err: e instanceof Error ? e.name : 'error' }, 'session index hook failed'),
    );
  }
  return answer(200, { received: true, duplicate: outcome === 'retry' });
}

class MalformedEvent extends Error {}

async function apply(
  index: ReturnType<typeof sessionIndex>,
  event: { type: string; data: unknown },
  now: number,
): Promise<IndexedSession[]> {
  if (USER_EVENTS.has(event.type)) {
    const user = clerkUserJson.safeParse(event.data);
    if (!user.success) throw new MalformedEvent();
    const deleted = event.type === 'user.deleted';
    const snap = userSnapshotFromJson({ ...user.data, deleted }, now);
    // user.deleted carries no updated_at: it is the newest thing known of the user.
    await index.upsertUser(deleted ? { ...snap, updatedAt: Math.max(snap.updatedAt, now) } : snap);
    return [];
  }
  const session = clerkSessionJson.safeParse(event.data);
  if (!session.success) throw new MalformedEvent();
  const user = session.data.user ? userSnapshotFromJson(session.data.user, session.data.updated_at) : null;
  if (user) await index.upsertUser(user);
  return index.upsert(sessionFromJson(session.data, user), { source: 'webhook', now });
}
