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
      <FilterInput
        id="audit-actor"
        label="Actor"
        name="actor"
        type="search"
        value={filters.actor}
        placeholder="staff email"
        autoComplete="off"
      />
      <FilterSelect
        id="audit-action"
        label="Action"
        name="action"
        value={filters.action}
        any="Any action"
        options={AUDIT_ACTIONS.map((a) => ({ value: a, label: a }))}
      />
      <FilterSelect
        id="audit-reason-code"
        label="Category"
        name="reason_code"
        value={filters.reasonCode}
        any="Any category"
        options={reasonCodes.map((c) => ({ value: c.code, label: c.label }))}
      />
      <FilterInput
        id="audit-ticket"
        label="Ticket"
        name="ticket"
        type="search"
        value={filters.ticket}
        placeholder="e.g. SUP-1234"
        autoComplete="off"
        spellCheck={false}
        mono
      />
      <FilterInput
        id="audit-target"
        label="Target"
        name="target"
        type="search"
        value={filters.target}
        placeholder="sess_…, user_… or client_…"
        autoComplete="off"
        spellCheck={false}
        mono
      />
      <FilterSelect
        id="audit-outcome"
        label="Outcome"
        name="outcome"
        value={filters.outcome}
        any="Any outcome"
        options={AUDIT_OUTCOMES.map((o) => ({ value: o, label: o }))}
      />
      <FilterInput id="audit-from" label="From (UTC day)" name="from" type="date" value={filters.from} />
      <FilterInput id="audit-to" label="To (UTC day, inclusive)" name="to" type="date" value={filters.to} />
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
