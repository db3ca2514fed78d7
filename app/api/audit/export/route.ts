import { randomUUID } from 'node:crypto';
import { requireStaff, StaffAccessError } from '@/lib/auth/require-staff';
import { auditLog, auditToCsv, type AuditEntry } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { log } from '@/lib/log';
import { getRequestContext } from '@/lib/request-context';
import { parseAuditFilters, toAuditListQuery } from '@/components/audit/audit-filters';

export const dynamic = 'force-dynamic';

/** Upper bound of one export: enough for an investigation, small enough to build in memory. */
const MAX_EXPORT_ROWS = 50_000;
const PAGE = 500; // the store's largest page

function plain(status: number, message: string, extra: Record<string, string> = {}) {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...extra },
  });
}

/**
 * GET /api/audit/export?actor=&action=&target=&outcome=&from=&to= — the filtered audit log as CSV (admins).
 * The role is re-checked here (a route handler is not covered by the page's check), the filters are the page's
 * own parser, and the export itself is written to the log before a byte is sent: no record, no file.
 */
export async function GET(request: Request) {
  let staff;
  try {
    staff = await requireStaff('audit:read', 'api:/api/audit/export');
  } catch (e) {
    if (e instanceof StaffAccessError) {
      return e.kind === 'unauthenticated'
        ? plain(401, 'Sign in to the console first.')
        : plain(403, 'Your role does not allow exporting the audit log.');
    }
    throw e;
  }

  const { filters, problems } = parseAuditFilters(new URL(request.url).searchParams);
  if (problems.length) return plain(400, problems.join('\n'));

  const db = await getDb();
  const log_ = auditLog(db);
  // The window is closed at the moment of the request, so rows written while we page can't shift the offsets.
  const startedAt = new Date();
  const base = toAuditListQuery(filters);
  const query = { ...base, to: base.to && base.to < startedAt ? base.to : startedAt };
  const rows: AuditEntry[] = [];
  let total = 0;
  try {
    for (let offset = 0; offset < MAX_EXPORT_ROWS; offset += PAGE) {
      const page = await log_.list({ ...query, limit: PAGE, offset });
      total = page.total;
      rows.push(...page.rows);
      if (page.rows.length < PAGE || rows.length >= page.total) break;
    }
  } catch (e) {
    const errorId = randomUUID();
    log.error(
      { where: 'audit.export', errorId, err: e instanceof Error ? { name: e.name } : typeof e },
      'audit export read failed',
    );
    return plain(503, `The audit log could not be read. Reference ${errorId}.`);
  }
  const truncated = total > rows.length;

  try {
    await log_.record({
      actor: { staffId: staff.id, email: staff.email, role: staff.role },
      action: 'audit.export',
      target: filters.target ? targetOf(filters.target) : {},
      details: {
        count: rows.length,
        truncated,
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
      outcome: 'succeeded',
    });
  } catch {
    log.error({ where: 'audit.export' }, 'audit log unavailable; export refused');
    return plain(
      503,
      'The export could not be recorded in the audit log, so it was not made. Try again or tell an administrator.',
    );
  }

  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return new Response(auditToCsv(rows), {
    status: 200,
    headers: {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${stamp}Z.csv"`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Export-Rows': String(rows.length),
      ...(truncated ? { 'X-Export-Truncated': 'true' } : {}),
    },
  });
}

function targetOf(id: string) {
  if (id.startsWith('sess_')) return { sessionId: id };
  if (id.startsWith('user_')) return { userId: id };
  return { clientId: id };
}
