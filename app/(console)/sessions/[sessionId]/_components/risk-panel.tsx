import { Panel } from './panel';
import { SignalBadges, severityWord } from '@/components/risk/signal-badges';
import { RelativeTime } from '@/components/ui/relative-time';
import { UpstreamText } from '@/components/ui/upstream-text';
import { SIGNAL_LABELS } from '@/lib/vocabulary';
import { getUserRisk } from '@/lib/risk/server';
import { attempt } from './data';
import { PanelError } from './panel-error';
import { ReviewForm } from './review-form';

export async function RiskPanel({
  sessionId,
  userId,
  canReview,
}: {
  sessionId: string;
  userId: string;
  canReview: boolean;
}) {
  const risk = await attempt(() => getUserRisk(userId), 'user', 'detail:risk');
  if (!risk.ok)
    return (
      <Panel title="Risk signals">
        <PanelError what="risk signals" failure={risk.failure} />
      </Panel>
    );
  const signals = risk.value.signals.filter((s) => s.sessionId === sessionId);
  return (
    <Panel
      title="Risk signals"
      description={signals.length ? <SignalBadges signals={signals} idPrefix="detail-signal" /> : undefined}
    >
      {signals.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">
          No signals: nothing unusual in this session compared with the user’s others.
        </p>
      ) : (
        <ul className="space-y-3">
          {signals.map((s) => (
            <li key={s.kind} className="rounded-lg border border-gray-200 p-3 dark:border-gray-800">
              <h3 className="text-sm font-semibold">
                {SIGNAL_LABELS[s.kind]}{' '}
                <span className="font-normal text-gray-600 dark:text-gray-400">
                  · {severityWord(s.severity)} severity
                </span>
              </h3>
              <p className="mt-1 text-sm">
                <UpstreamText value={s.evidence} wrap />
              </p>
              {s.review ? (
                <p className="mt-1 text-sm text-gray-700 dark:text-gray-300">
                  Reviewed by <UpstreamText value={s.review.reviewedBy} inline />{' '}
                  <RelativeTime at={s.review.reviewedAt} />: <UpstreamText value={s.review.note} inline />
                </p>
              ) : null}
              {canReview ? (
                <ReviewForm
                  sessionId={s.sessionId}
                  kind={s.kind}
                  fingerprint={s.fingerprint}
                  again={Boolean(s.review)}
                />
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <p className="mt-3 text-xs text-gray-600 dark:text-gray-400">
        Signals only describe; nothing is revoked on their account.
      </p>
    </Panel>
  );
}
