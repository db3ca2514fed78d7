import { TextLink } from '@/components/ui/text-link';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatExact } from '@/components/ui/time-format';
import { UpstreamText } from '@/components/ui/upstream-text';
import { ReasonTags } from '@/components/forms/reason-tags';
import { OUTCOME_EXPLANATIONS, targetHref, type AuditEventView } from './audit-view';
import { OutcomeBadge } from './outcome-badge';
import { ReconcileButton, type ReconcileAction } from './reconcile-button';

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

/** Every value is React text: reasons and emails are typed by people, details may echo upstream data. */
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
      <Table caption={caption} focusable>
        <TableHead
          labels={[
            'Time (UTC)',
            'Actor',
            'Action',
            ...(hideTarget ? [] : ['Target']),
            'Outcome',
            'Reason and details',
            'Code / trace id',
          ]}
        />
        <TableBody>
          {events.map((e) => (
            <Tr
              key={e.id}
              data-testid="audit-row"
              data-id={e.id}
              data-action={e.action}
              data-outcome={e.outcome}
              className="align-top"
            >
              <Td className="whitespace-nowrap">
                <span className="block font-mono text-xs">{formatExact(e.at)}</span>
                <RelativeTime at={e.at} className="text-xs text-gray-600 dark:text-gray-400" />
              </Td>
              <Td>
                <span className="block max-w-[14rem] truncate" title={e.actorEmail}>
                  {e.actorEmail}
                </span>
                <span className="text-xs text-gray-600 dark:text-gray-400">{e.actorRole ?? 'no role'}</span>
              </Td>
              <Td className="font-mono text-xs whitespace-nowrap">
                {e.action}
                {e.action === 'job.break_glass' ? (
                  <Badge tone="red" className="ml-1.5 font-sans" title="Started without a second admin">
                    Break-glass
                  </Badge>
                ) : null}
              </Td>
              {hideTarget ? null : (
                <Td>
                  <Target target={e.target} />
                </Td>
              )}
              <Td>
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
                  // Only an intent with no outcome row can be settled (append-only); a timed-out "unknown" has resolvedAt.
                  <ReconcileButton
                    intentId={e.id}
                    offer={e.outcome === 'unknown' && !e.reconciledBy && e.resolvedAt === null}
                    action={reconcile}
                  />
                ) : null}
              </Td>
              <Td className="max-w-[24rem]">
                {e.reason ? (
                  <UpstreamText value={e.reason} wrap className="block" />
                ) : (
                  <span className="text-gray-500 dark:text-gray-400">No reason</span>
                )}
                <ReasonTags
                  reasonCode={e.reasonCode}
                  reasonLabel={e.reasonLabel}
                  ticket={e.ticket}
                  ticketUrl={e.ticketUrl}
                />
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
              </Td>
              <Td>
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
              </Td>
            </Tr>
          ))}
        </TableBody>
      </Table>
    </div>
  );
}
