'use client';

import { Link } from '@/components/ui/link';
import { useRouter } from 'next/navigation';
import { useTransition, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import {
  AUDIT_ACTIONS,
  AUDIT_OUTCOMES,
  DEFAULT_AUDIT_PAGE_SIZE,
  type AuditFilters,
} from '@/lib/queries/audit-filters';
import { paths } from '@/lib/paths';
import type { ReasonCode } from '@/lib/vocabulary/reasons';
import { FilterInput, FilterSelect } from './filter-field';

export function AuditFilterForm({
  filters,
  reasonCodes,
}: {
  filters: AuditFilters;
  reasonCodes: readonly ReasonCode[];
}) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const sp = new URLSearchParams();
    for (const [key, value] of new FormData(e.currentTarget).entries()) {
      if (typeof value === 'string' && value.trim()) sp.set(key, value.trim());
    }
    startTransition(() => router.push(paths.audit(Object.fromEntries(sp))));
  }

  return (
    <form
      method="get"
      action={paths.audit()}
      onSubmit={onSubmit}
      aria-label="Filter the audit log"
      className="grid grid-cols-1 gap-3 rounded-lg border border-gray-200 p-4 sm:grid-cols-2 lg:grid-cols-3 dark:border-gray-800"
    >
      <FilterInput name="actor" label="Actor" value={filters.actor} placeholder="staff email" />
      <FilterSelect name="action" label="Action" value={filters.action} options={AUDIT_ACTIONS} />
      <FilterSelect
        name="reason_code"
        label="Category"
        value={filters.reasonCode}
        options={reasonCodes.map((c) => ({ value: c.code, label: c.label }))}
      />
      <FilterInput
        name="ticket"
        label="Ticket"
        kind="code"
        value={filters.ticket}
        placeholder="e.g. SUP-1234"
      />
      <FilterInput
        name="target"
        label="Target"
        kind="code"
        value={filters.target}
        placeholder="sess_…, user_… or client_…"
      />
      <FilterSelect name="outcome" label="Outcome" value={filters.outcome} options={AUDIT_OUTCOMES} />
      <FilterInput name="from" label="From (UTC day)" kind="date" value={filters.from} />
      <FilterInput name="to" label="To (UTC day, inclusive)" kind="date" value={filters.to} />
      {filters.limit !== DEFAULT_AUDIT_PAGE_SIZE ? (
        <input type="hidden" name="limit" value={filters.limit} />
      ) : null}
      <div className="flex flex-wrap items-center gap-2 sm:col-span-2 lg:col-span-3">
        <Button type="submit" variant="primary" aria-busy={pending} disabled={pending}>
          {pending ? 'Filtering…' : 'Apply filters'}
        </Button>
        <Link
          href={paths.audit()}
          className="rounded-md px-3 py-2 text-sm font-medium text-blue-700 hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-blue-950"
        >
          Clear filters
        </Link>
      </div>
    </form>
  );
}
