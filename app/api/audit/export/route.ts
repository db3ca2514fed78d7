import { randomUUID } from 'node:crypto';
import { staffRoute } from '@/lib/actions/staff-route';
import { settleIntent } from '@/lib/actions/audited';
import {
  auditCsvHeader,
  auditCsvRecords,
  auditLog,
  EXPORT_PAGE,
  type AuditEntry,
  type AuditIntent,
} from '@/lib/audit';
import { getDb } from '@/lib/db';
import { log } from '@/lib/log';
import { getRequestContext } from '@/lib/request-context';
import type { StaffContext } from '@/lib/auth/require-staff';
import { parseAuditFilters, toAuditListQuery } from '@/lib/queries/audit-filters';

export const dynamic = 'force-dynamic';

export const DEFAULT_EXPORT_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

function plain(status: number, message: string, extra: Record<string, string> = {}) {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });
}

function readFailed(e: unknown): Response {
  const errorId = randomUUID();
  log.error(
    { where: 'audit.export', errorId, err: e instanceof Error ? { name: e.name } : typeof e },
    'audit export read failed',
  );
  return plain(503, `The audit log could not be read. Reference ${errorId}.`);
}

/** Role re-checked (routes skip the page's check); cross-site refused; audited before a byte is sent. */
export const GET = staffRoute(
  {
    name: '/api/audit/export',
    access: 'audit:read',
    refuseCrossSite: true,
    failures: {
      body: 'text',
      messages: {
        unauthenticated: 'Sign in to the console first.',
        forbidden: 'Your role does not allow exporting the audit log.',
      },
    },
  },
  (_query, { staff, request }) => exportAudit(staff, request),
);

async function exportAudit(staff: StaffContext, request: Request): Promise<Response> {
  const { filters, problems } = parseAuditFilters(new URL(request.url).searchParams);
  if (problems.length) return plain(400, problems.join('\n'));

  const db = await getDb();
  const log_ = auditLog(db);
  // Closed at the moment of the request: rows written while we stream are not half in the file.
  const startedAt = new Date();
  const { limit: _limit, offset: _offset, ...base } = toAuditListQuery(filters);
  const to = base.to && base.to < startedAt ? base.to : startedAt;
  const from = base.from ?? new Date(to.getTime() - DEFAULT_EXPORT_DAYS * DAY_MS);
  const query = { ...base, from, to };

  let first: { rows: AuditEntry[]; lastSeq: number | null };
  try {
    first = await log_.exportPage(query, null);
  } catch (e) {
    return readFailed(e);
  }

  let intent: AuditIntent;
  try {
    intent = await log_.begin({
      actor: { staffId: staff.id, email: staff.email, role: staff.role },
      action: 'audit.export',
      target: filters.target ? targetOf(filters.target) : {},
      details: {
        from: from.toISOString(),
        to: to.toISOString(),
        filters: Object.fromEntries(
          Object.entries({
            actor: filters.actor,
            action: filters.action,
            target: filters.target,
            outcome: filters.outcome,
            from: filters.from,
            to: filters.to,
          }).filter(([, v]) => v),
        ),
      },
      ctx: await getRequestContext(),
    });
  } catch {
    log.error({ where: 'audit.export' }, 'audit log unavailable; export refused');
    return plain(
      503,
      'The export could not be recorded in the audit log, so it was not made. Try again or tell an administrator.',
    );
  }

  const encoder = new TextEncoder();
  let page: typeof first | null = first;
  let sent = 0;
  let settled = false;
  const settle = (how: 'succeeded' | 'aborted' | 'read_failed') => {
    if (settled) return;
    settled = true;
    const details = { count: sent };
    void settleIntent(
      intent,
      how === 'succeeded' ? { outcome: 'succeeded', details } : { outcome: 'failed', code: how, details },
    );
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(encoder.encode(auditCsvHeader()));
      },
      // Called when the client has taken what was queued: one page per call, so a slow reader holds one page.
      async pull(controller) {
        try {
          if (!page) {
            settle('succeeded');
            controller.close();
            return;
          }
          const current: typeof first = page;
          if (current.rows.length) {
            controller.enqueue(encoder.encode(auditCsvRecords(current.rows)));
            sent += current.rows.length;
          }
          page =
            current.lastSeq === null || current.rows.length < EXPORT_PAGE
              ? null
              : await log_.exportPage(query, current.lastSeq);
        } catch (e) {
          readFailed(e);
          settle('read_failed');
          controller.error(e);
        }
      },
      cancel() {
        settle('aborted');
      },
    },
    { highWaterMark: 1 },
  );

  const stamp = startedAt.toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${stamp}Z.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Export-From': from.toISOString(),
      'X-Export-To': to.toISOString(),
    },
  });
}

function targetOf(id: string) {
  if (id.startsWith('sess_')) return { sessionId: id };
  if (id.startsWith('user_')) return { userId: id };
  return { clientId: id };
}
