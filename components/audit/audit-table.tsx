import { TextLink } from '@/components/ui/text-link';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatExact } from '@/components/ui/time-format';
import { UpstreamText } from '@/components/ui/upstream-text';
import { OUTCOME_EXPLANATIONS, targetHref, type AuditEventView } from './audit-view';
import { OutcomeBadge } from './outcome-badge';
import { ReconcileButton, type ReconcileAction } from './reconcile-button';

const TH =
  'px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-gray-600 dark:text-gray-400';
const TD = 'px-3 py-2 align-top';

function Target({ target }: { target: AuditEventView['target'] }) {
  const id = target.sessionId ?? target.userId ?? target.clientId;
  if (!id) return <span className="text-gray-500 dark:text-gray-400">—</span>;
  const href = targetHref(target);
  const text = (
    <span className="block max-w-[14rem] truncate font-mono text-xs" title={id}>
      {id}
    </span>
  );
  return href ? <TextLink href={href}>{text}</TextLink> : text;
}

/**
 * The audit events as a table, newest first. Every value is React text (reasons and emails are typed by people;
 * details may echo upstream data). `hideTarget` drops the target column where every row is about one session.
 */
export function AuditTable({
  events,
  caption,
  hideTarget = false,
  reconcile,
}: {
  events: AuditEventView[];
  caption: string;
  hideTarget?: boolean;
  /** Offers "Reconcile" on unknown rows. The table is only rendered for audit:read (admins); the action re-checks. */
  reconcile?: ReconcileAction;
}) {
  const anyUnknown = events.some((e) => e.outcome === 'unknown');
  return (
    <div className="space-y-2">
      {anyUnknown ? (
        <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100">
          <span className="font-semibold">Unknown</span> outcome: {OUTCOME_EXPLANATIONS.unknown}
        </p>
      ) : null}
      {/* Focusable so keyboard users can scroll it sideways at narrow widths. */}
      <div
        role="region"
        aria-label={caption}
        tabIndex={0}
        className="overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800"
      >
        <table className="min-w-full divide-y divide-gray-200 text-sm dark:divide-gray-800">
          <caption className="sr-only">{caption}</caption>
          <thead className="bg-gray-50 dark:bg-gray-900">
            <tr>
              <th scope="col" className={TH}>
                Time (UTC)
              </th>
              <th scope="col" className={TH}>
                Actor
              </th>
              <th scope="col" className={TH}>
                Action
              </th>
              {hideTarget ? null : (
                <th scope="col" className={TH}>
                  Target
                </th>
              )}
              <th scope="col" className={TH}>
                Outcome
              </th>
              <th scope="col" className={TH}>
                Reason and details
              </th>
              <th scope="col" className={TH}>
                Code / trace id
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-gray-100 dark:divide-gray-900">
            {events.map((e) => (
              <tr key={e.id} data-testid="audit-row" data-action={e.action} data-outcome={e.outcome}>
                <td className={`${TD} whitespace-nowrap`}>
                  <span className="block font-mono text-xs">{formatExact(e.at)}</span>
                  <RelativeTime at={e.at} className="text-xs text-gray-600 dark:text-gray-400" />
                </td>
                <td className={TD}>
                  <span className="block max-w-[14rem] truncate" title={e.actorEmail}>
                    {e.actorEmail}
                  </span>
                  <span className="text-xs text-gray-600 dark:text-gray-400">{e.actorRole ?? 'no role'}</span>
                </td>
                <td className={`${TD} font-mono text-xs whitespace-nowrap`}>{e.action}</td>
                {hideTarget ? null : (
                  <td className={TD}>
                    <Target target={e.target} />
                  </td>
                )}
                <td className={TD}>
                  <OutcomeBadge outcome={e.outcome} times={e.times} />
                  {e.reconciledBy ? (
                    <span
                      className="mt-1 block max-w-[12rem] truncate text-xs text-gray-600 dark:text-gray-400"
                      title={e.reconciledBy}
                    >
                      Reconciled by {e.reconciledBy}
                    </span>
                  ) : null}
                  {e.outcome === 'unknown' ? (
                    <span className="mt-1 block max-w-[12rem] text-xs text-amber-900 dark:text-amber-200">
                      Check the session to reconcile.
                    </span>
                  ) : null}
                  {reconcile && (e.outcome === 'unknown' || e.reconciledBy) ? (
                    // Only an intent with no outcome row at all can be settled (the log is append-only): one
                    // written as "unknown" when Clerk's answer timed out has resolvedAt set.
                    <ReconcileButton
                      intentId={e.id}
                      offer={e.outcome === 'unknown' && !e.reconciledBy && e.resolvedAt === null}
                      action={reconcile}
                    />
                  ) : null}
                </td>
                <td className={`${TD} max-w-[24rem]`}>
                  {e.reason ? (
                    <UpstreamText value={e.reason} wrap className="block" />
                  ) : (
                    <span className="text-gray-500 dark:text-gray-400">No reason</span>
                  )}
                  {e.details.length ? (
                    <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-2 text-xs text-gray-700 dark:text-gray-300">
                      {e.details.map((d) => (
                        <div key={d.key} className="contents">
                          <dt className="text-gray-600 dark:text-gray-400">{d.label}</dt>
                          <dd className="min-w-0 truncate font-mono" title={d.value}>
                            {d.value}
                          </dd>
                        </div>
                      ))}
                    </dl>
                  ) : null}
                </td>
                <td className={TD}>
                  {e.code ? <span className="block font-mono text-xs">{e.code}</span> : null}
                  {e.traceId ? (
                    <span
                      className="block max-w-[12rem] truncate font-mono text-xs text-gray-600 dark:text-gray-400"
                      title={e.traceId}
                    >
                      {e.traceId}
                    </span>
                  ) : null}
                  {!e.code && !e.traceId ? <span className="text-gray-500 dark:text-gray-400">—</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
