import type { UserRisk } from '@/lib/risk/server';
import { signalSummary } from '@/lib/risk/types';
import { plural } from '@/lib/vocabulary';

export async function RiskSummary({ risk: read }: { risk: Promise<UserRisk | null> }) {
  const risk = await read;
  if (!risk)
    return (
      <p className="text-sm text-amber-800 dark:text-amber-300">
        Risk signals could not be checked just now; the sessions below are unaffected.
      </p>
    );
  const open = risk.signals.filter((s) => !s.review);
  const reviewed = risk.signals.length - open.length;
  return (
    <p className="text-sm font-medium" data-testid="risk-summary">
      {signalSummary(open)}
      {reviewed > 0 ? (
        <span className="font-normal text-gray-600 dark:text-gray-400">
          {' '}
          ({reviewed.toLocaleString('en-US')} reviewed)
        </span>
      ) : null}
      {risk.totalCount > risk.sessions.length ? (
        <span className="font-normal text-gray-600 dark:text-gray-400">
          {' '}
          · from the newest {risk.sessions.length.toLocaleString('en-US')} of{' '}
          {plural(risk.totalCount, 'session')}
        </span>
      ) : null}
    </p>
  );
}
