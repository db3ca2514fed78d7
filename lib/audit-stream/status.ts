import 'server-only';
import type { Db } from '@/lib/db';
import { toDate } from '@/lib/db/values';
import type { StreamConfig } from '@/lib/env/stream';
import { lastSeq } from './rows';
import { streamCursors, type CursorState, type ReceiverKind } from './store';
import { SSF_RECEIVER } from './targets';

export interface ReceiverStatus {
  name: string;
  kind: ReceiverKind;
  /** Host only: a path or query may carry a receiver's token. */
  host: string;
  state: CursorState | null;
  lastSeq: number;
  behind: number;
  oldestWaitingAt: Date | null;
  /** Waiting out a back-off after a failure. */
  retrying: boolean;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'unknown';
  }
}

export async function streamStatus(
  db: Db,
  cfg: Pick<StreamConfig, 'receivers' | 'ssf'>,
): Promise<ReceiverStatus[]> {
  const configured: { name: string; kind: ReceiverKind; host: string }[] = [
    ...cfg.receivers.map((r) => ({ name: r.name, kind: 'webhook' as const, host: hostOf(r.url) })),
    ...(cfg.ssf ? [{ name: SSF_RECEIVER, kind: 'ssf' as const, host: hostOf(cfg.ssf.receiverUrl) }] : []),
  ];
  if (!configured.length) return [];
  const [states, last] = await Promise.all([streamCursors(db).list(), lastSeq(db)]);
  return Promise.all(
    configured.map(async (c) => {
      const state = states.find((s) => s.receiver === c.name) ?? null;
      const cursor = state?.cursor ?? last;
      const oldest =
        cursor < last
          ? await db
              .selectFrom('audit_log')
              .select('at')
              .where('seq', '>', cursor)
              .orderBy('seq', 'asc')
              .limit(1)
              .executeTakeFirst()
          : undefined;
      return {
        ...c,
        state,
        lastSeq: last,
        behind: Math.max(0, last - cursor),
        oldestWaitingAt: oldest ? toDate(oldest.at) : null,
        retrying: Boolean(state?.nextAttemptAt && state.nextAttemptAt.getTime() > Date.now()),
      };
    }),
  );
}
