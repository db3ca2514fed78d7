import type { ReactNode } from 'react';
import { TextLink } from '@/components/ui/text-link';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { backfillProgress } from '@/lib/session-index/progress';
import { readWatchlist } from '@/lib/risk/watchlist-store';
import { readEventWatchlist } from '@/lib/risk/watchlist-events';
import type { WatchEntry } from '@/lib/risk/watchlist';
import { sessionIndex } from '@/lib/session-index/store';
import type { Db } from '@/lib/db';
import { SIGNAL_LABELS, plural } from '@/lib/vocabulary';
import { RelativeTime } from '@/components/ui/relative-time';
import { UpstreamText } from '@/components/ui/upstream-text';
import { paths } from '@/lib/paths';

async function fromEvents(db: Db, windowHours: number) {
  const since = Date.now() - windowHours * 3_600_000;
  const [entries, index] = await Promise.all([readEventWatchlist(db, { since }), sessionIndex(db).state()]);
  return { entries, index };
}

// With Clerk's webhooks the list is what the signals computed on arrival say; without them, the background scan's.
export async function WatchlistPanel() {
  const { intervalSeconds, windowHours } = getEnv().watchlist;
  const db = await getDb();
  if (getEnv().webhooks.signingSecret) {
    const { entries, index } = await fromEvents(db, windowHours);
    return (
      <WatchlistView
        entries={entries}
        shown
        status={
          <>
            Users active in the last {windowHours} h with a high-severity signal, checked as each session
            arrives from Clerk&apos;s webhooks
            {index.complete
              ? '.'
              : `; the index is still filling (${backfillProgress(index.backfill)}), so some users are not checked yet.`}
          </>
        }
      />
    );
  }
  const { state, refreshedAt } = await readWatchlist(db);
  const last = state.lastRefresh;
  const scanned = Math.max(state.passScanned, state.lastPassScanned);
  return (
    <WatchlistView
      entries={state.entries}
      shown={Boolean(refreshedAt)}
      status={
        intervalSeconds === 0 ? (
          'The background scan is off (WATCHLIST_INTERVAL_SECONDS=0).'
        ) : !refreshedAt || !last ? (
          'The first scan has not finished yet.'
        ) : (
          <>
            Users active in the last {windowHours} h with a high-severity signal. Scanned{' '}
            {scanned.toLocaleString('en-US')} of {plural(state.passTotal, 'user')}, last at{' '}
            <RelativeTime at={refreshedAt.getTime()} />.
            {last.error ? <> The last scan stopped early: {last.error}</> : null}
          </>
        )
      }
    />
  );
}

function WatchlistView({
  entries,
  shown,
  status,
}: {
  entries: readonly WatchEntry[];
  shown: boolean;
  status: ReactNode;
}) {
  return (
    <section aria-labelledby="watchlist-heading" className="space-y-3">
      <div>
        <h2 id="watchlist-heading" className="text-base font-semibold">
          Needs attention now
        </h2>
        <p className="text-sm text-gray-600 dark:text-gray-400" data-testid="watchlist-status">
          {status}
        </p>
      </div>
      {entries.length === 0 ? (
        shown ? (
          <p className="text-sm">Nobody to look at: no unreviewed high-severity signal.</p>
        ) : null
      ) : (
        <ul className="divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white dark:divide-gray-800 dark:border-gray-800 dark:bg-gray-950">
          {entries.map((e) => (
            <li key={e.userId} className="space-y-1 p-3" data-testid="watchlist-entry">
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                <TextLink href={paths.userSessions(e.userId, { look: true })} className="min-w-0 font-medium">
                  <UpstreamText value={e.name} className="max-w-80" />
                </TextLink>
                <UpstreamText value={e.email} className="max-w-80 text-sm text-gray-600 dark:text-gray-400" />
                <span className="text-xs text-gray-600 dark:text-gray-400">
                  active <RelativeTime at={e.lastActiveAt} fallback="—" />
                </span>
              </div>
              <ul className="space-y-0.5 text-sm">
                {e.signals.map((s) => (
                  <li key={`${s.sessionId}-${s.kind}`}>
                    <span className="font-medium text-red-800 dark:text-red-300">
                      {SIGNAL_LABELS[s.kind]}
                    </span>
                    {': '}
                    <UpstreamText value={s.evidence} inline max={400} />
                  </li>
                ))}
                {e.total > e.signals.length ? (
                  <li className="text-gray-600 dark:text-gray-400">and {e.total - e.signals.length} more</li>
                ) : null}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
