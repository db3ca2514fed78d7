'use server';

import { z } from 'zod';
import { staffAction } from '@/lib/actions/staff-action';
import { cursorBefore, kickAuditStream, SSF_RECEIVER, streamCursors } from '@/lib/audit-stream';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { reasonCodeInput, ticketInput } from '@/lib/reason-input';
import { fail, ok, REASON_MAX, REASON_MIN, REASON_TOO_LONG, REASON_TOO_SHORT } from '@/lib/vocabulary';

const rewindAuditStreamInput = z
  .object({
    receiver: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'Not a receiver name.'),
    from: z.union([
      z.literal('start'),
      z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Give a date and time (UTC), or the start of the log.'),
    ]),
    reason: z.string().trim().min(REASON_MIN, REASON_TOO_SHORT).max(REASON_MAX, REASON_TOO_LONG),
    reasonCode: reasonCodeInput,
    ticket: ticketInput,
  })
  .strict();

/** Moves a receiver's cursor back so the stream delivers again from there (admin only, audited). */
export const rewindAuditStreamAction = staffAction(
  { name: 'audit.stream_rewind', access: 'audit:read', schema: rewindAuditStreamInput },
  async ({ receiver, from, reason, reasonCode, ticket }, ctx) => {
    const { stream } = getEnv();
    const known =
      stream.receivers.some((r) => r.name === receiver) || (stream.ssf && receiver === SSF_RECEIVER);
    if (!known) return fail('not_found', 'No receiver has that name.');
    const since = from === 'start' ? null : new Date(`${from}:00Z`);
    if (since && Number.isNaN(since.getTime()))
      return fail('invalid_input', 'That date and time is not valid.');
    const db = await getDb();
    return ctx.audited(
      'audit.stream_rewind',
      {},
      { reason, reasonCode, ticket, receiver, from },
      async (report) => {
        const to = since ? await cursorBefore(db, since) : 0;
        const previous = await streamCursors(db).rewind(receiver, to);
        if (previous === null)
          return fail('not_found', 'That receiver has not started yet; try again in a moment.');
        report({ details: { fromCursor: previous, toCursor: to } });
        await kickAuditStream();
        return ok(
          to < previous
            ? `Rewound: ${receiver} receives again every event after #${to}.`
            : `Moved: ${receiver} now continues after #${to}.`,
          { previous, to },
        );
      },
    );
  },
);
