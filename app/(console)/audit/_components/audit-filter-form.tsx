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

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950';
const LABEL = 'block text-sm font-medium';

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
      <div>
        <label htmlFor="audit-actor" className={LABEL}>
          Actor
        </label>
        <input
          id="audit-actor"
          name="actor"
          type="search"
          defaultValue={filters.actor ?? ''}
          placeholder="staff email"
          autoComplete="off"
          className={CONTROL}
        />
      </div>
      <div>
        <label htmlFor="audit-action" className={LABEL}>
          Action
        </label>
        <select id="audit-action" name="action" defaultValue={filters.action ?? ''} className={CONTROL}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-reason-code" className={LABEL}>
          Category
        </label>
        <select
          id="audit-reason-code"
          name="reason_code"
          defaultValue={filters.reasonCode ?? ''}
          className={CONTROL}
        >
          <option value="">Any category</option>
          {reasonCodes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-ticket" className={LABEL}>
          Ticket
        </label>
        <input
          id="audit-ticket"
          name="ticket"
          type="search"
          defaultValue={filters.ticket ?? ''}
          placeholder="e.g. SUP-1234"
          autoComplete="off"
          spellCheck={false}
          className={`${CONTROL} font-mono`}
        />
      </div>
      <div>
        <label htmlFor="audit-target" className={LABEL}>
          Target
        </label>
        <input
          id="audit-target"
          name="target"
          type="search"
          defaultValue={filters.target ?? ''}
          placeholder="sess_…, user_… or client_…"
          autoComplete="off"
          spellCheck={false}
          className={`${CONTROL} font-mono`}
        />
      </div>
      <div>
        <label htmlFor="audit-outcome" className={LABEL}>
          Outcome
        </label>
        <select id="audit-outcome" name="outcome" defaultValue={filters.outcome ?? ''} className={CONTROL}>
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="audit-from" className={LABEL}>
          From (UTC day)
        </label>
        <input
          id="audit-from"
          name="from"
          type="date"
          defaultValue={filters.from ?? ''}
          className={CONTROL}
        />
      </div>
      <div>
        <label htmlFor="audit-to" className={LABEL}>
          To (UTC day, inclusive)
        </label>
        <input id="audit-to" name="to" type="date" defaultValue={filters.to ?? ''} className={CONTROL} />
      </div>
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
