import type { Metadata } from 'next';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { can, plural } from '@/lib/vocabulary';
import { getDb, type Db } from '@/lib/db';
import { countMatches, searchSessions } from '@/lib/session-index/search';
import { searchExportHref, searchHref, type SearchQuery } from '@/lib/session-index/search-link';
import { parseSearchQuery } from '@/lib/session-index/search-query';
import { sessionIndex } from '@/lib/session-index/store';
import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { IndexHealth } from './_components/index-health';
import { RevokeMatching } from './_components/revoke-matching';
import { SearchFiltersForm } from './_components/search-filters';
import { SearchResults } from './_components/search-results';

export const metadata: Metadata = { title: 'Search sessions' };

const COUNT_CAP = 10_000;

async function readMatches(db: Db, q: SearchQuery) {
  const now = Date.now();
  const [page, count] = await Promise.all([
    searchSessions(db, q, { limit: q.limit, after: q.after, now }),
    countMatches(db, q, COUNT_CAP, now),
  ]);
  return { page, count };
}

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function SessionSearchPage({ searchParams }: { searchParams: SearchParams }) {
  const staff = await requireStaffPage('sessions:read', 'page:/sessions/search');
  const parsed = parseSearchQuery(await searchParams);
  const db = await getDb();
  const state = await sessionIndex(db).state();
  const header = (
    <PageHeader
      title="Search sessions"
      description="Every user's sessions the index holds, by address, network, place, device and recency."
    />
  );
  if (!parsed.ok)
    return (
      <div className="space-y-4">
        {header}
        <IndexHealth state={state} />
        <Alert tone="error" title="These filters can’t be used">
          <ul className="list-inside list-disc">
            {parsed.errors.map((e) => (
              <li key={e}>{e}</li>
            ))}
          </ul>
        </Alert>
        <SearchFiltersForm filters={{}} />
      </div>
    );
  const q = parsed.query;
  const { page, count } = await readMatches(db, q);
  const countText =
    count > COUNT_CAP
      ? `${COUNT_CAP.toLocaleString('en-US')}+ matching sessions`
      : plural(count, 'matching session');

  return (
    <div className="space-y-4">
      {header}
      <IndexHealth state={state} />
      <SearchFiltersForm filters={q} limit={q.limit} />
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p className="text-sm font-medium" role="status" data-testid="search-count">
          {countText}
          {q.after ? ' (this page and after)' : ''}
        </p>
        <div className="flex flex-wrap items-start gap-2">
          {count > 0 ? (
            <ButtonLink href={searchExportHref(q)} prefetch={false} download>
              Download CSV
            </ButtonLink>
          ) : null}
          {count > 0 && can(staff.role, 'jobs:incident') ? <RevokeMatching filters={q} /> : null}
        </div>
      </div>
      {page.rows.length ? (
        <SearchResults rows={page.rows} />
      ) : (
        <p className="text-sm">No session in the index matches these filters.</p>
      )}
      <nav aria-label="Pages" className="flex gap-3 text-sm">
        {q.after ? <ButtonLink href={searchHref({ ...q, after: undefined })}>First page</ButtonLink> : null}
        {page.next ? (
          <ButtonLink href={searchHref({ ...q, after: page.next })} rel="next">
            Next page
          </ButtonLink>
        ) : null}
      </nav>
    </div>
  );
}
