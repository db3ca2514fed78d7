import type { SessionIndexState } from '@/lib/session-index/types';
import { RelativeTime } from '@/components/ui/relative-time';
import { plural } from '@/lib/vocabulary';
import { backfillProgress } from '@/lib/session-index/progress';

function lag(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000
    ? `, ${Math.round(ms)} ms after the change`
    : `, ${(ms / 1000).toFixed(1)} s after the change`;
}

/** How far the search can be trusted: complete or filling, and when the last delivery came. */
export function IndexHealth({ state }: { state: SessionIndexState }) {
  const delivery =
    state.lastDeliveryAt !== null ? (
      <>
        {' · '}last delivery <RelativeTime at={state.lastDeliveryAt} />
        {lag(state.lastLagMs)}
      </>
    ) : (
      ' · no delivery yet'
    );
  const started = state.backfill.startedAt !== null;
  return (
    <p
      className={`text-sm ${state.complete ? 'text-gray-700 dark:text-gray-300' : 'text-amber-800 dark:text-amber-300'}`}
      data-testid="index-health"
    >
      {state.complete ? (
        <>Index complete{delivery}</>
      ) : started ? (
        <>
          {backfillProgress(state.backfill)} ({plural(state.backfill.sessions, 'session')}); sessions of users
          not reached yet are missing{delivery}
        </>
      ) : (
        <>
          The session index is empty: it fills from Clerk&apos;s webhooks (CLERK_WEBHOOK_SIGNING_SECRET) and a
          background fill{delivery}
        </>
      )}
    </p>
  );
}
