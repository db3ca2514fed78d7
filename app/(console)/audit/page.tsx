import type { Metadata } from 'next';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { AuditFilterForm } from './_components/audit-filter-form';
import {
  AUDIT_PAGE_SIZES,
  auditExportHref,
  auditSearchParams,
  hasAuditFilters,
  parseAuditFilters,
  toAuditListQuery,
} from '@/lib/queries/audit-filters';
import { AuditTable } from '@/components/audit/audit-table';
import { toAuditEventView } from '@/components/audit/audit-view';
import { Alert } from '@/components/ui/alert';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { Pagination } from '@/components/ui/pagination';
import { requireAuditReader } from './access';
import { reconcileAuditAction } from './actions';

export const metadata: Metadata = { title: 'Audit log' };

export default async function AuditPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireAuditReader();
  const { filters, problems } = parseAuditFilters(await searchParams);
  const { rows, total, totalIsLowerBound } = await auditLog(await getDb()).list(toAuditListQuery(filters));
  const { reasonCodes, ticketUrlTemplate } = getEnv().reasons;
  const events = rows.map((r) => toAuditEventView(r, { reasonCodes, ticketUrlTemplate }));
  const params = Object.fromEntries(auditSearchParams(filters, { paging: false }));
  const filterKey = auditSearchParams(filters, { paging: false }).toString();

  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit log"
        description="Every privileged action taken through the console, who took it and what came of it. Times are UTC."
        actions={
          <a
            href={auditExportHref(filters)}
            download
            className="inline-flex items-center justify-center gap-1.5 rounded-md border border-gray-300 bg-white px-3 py-2 text-sm font-semibold whitespace-nowrap text-gray-900 hover:bg-gray-50 dark:border-gray-700 dark:bg-gray-900 dark:text-gray-100 dark:hover:bg-gray-800"
          >
            Export CSV{hasAuditFilters(filters) ? ' (filtered)' : ''}
          </a>
        }
      />
      {/* Keyed by the filters so the fields show what the URL says after "Clear filters" or back/forward. */}
      <AuditFilterForm key={filterKey} filters={filters} reasonCodes={reasonCodes} />
      {problems.length ? (
        <Alert tone="warning" title="Some filters in the address were not understood">
          <ul className="list-disc pl-5">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </Alert>
      ) : null}
      {events.length ? (
        <AuditTable events={events} caption="Audit events, newest first" reconcile={reconcileAuditAction} />
      ) : (
        <EmptyState
          title={hasAuditFilters(filters) ? 'No audit event matches these filters' : 'No audit events yet'}
          description={
            hasAuditFilters(filters)
              ? 'Widen the date range or clear a filter.'
              : 'Revokes, tokens, sign-ins and denials will appear here.'
          }
        />
      )}
      <Pagination
        pathname="/audit"
        params={params}
        total={total}
        totalIsLowerBound={totalIsLowerBound}
        limit={filters.limit}
        offset={filters.offset}
        shown={events.length}
        pageSizes={AUDIT_PAGE_SIZES}
        noun="event"
      />
    </div>
  );
}
