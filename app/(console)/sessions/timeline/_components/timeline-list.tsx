import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { TextLink } from '@/components/ui/text-link';
import { UpstreamText } from '@/components/ui/upstream-text';
import { ReasonTags } from '@/components/forms/reason-tags';
import { reasonView, type ReasonContext } from '@/components/audit/audit-view';
import { countryName } from '@/lib/risk/countries';
import { paths } from '@/lib/paths';
import { TIMELINE_LABELS, type TimelineEvent, type TimelineKind } from '@/lib/session-index/timeline-types';

const TONES: Record<TimelineKind, BadgeTone> = {
  created: 'green',
  active: 'blue',
  ended: 'neutral',
  revoked: 'red',
  removed: 'red',
  expired: 'amber',
  abandoned: 'amber',
  replaced: 'purple',
};

function where(e: TimelineEvent): string | null {
  const country = e.place.country ? (countryName(e.place.country) ?? e.place.country) : null;
  return [e.place.city, country, e.device, e.ip].filter(Boolean).join(' · ') || null;
}

export function TimelineList({
  events,
  reasons,
}: {
  events: readonly TimelineEvent[];
  reasons: ReasonContext;
}) {
  return (
    <ol
      className="relative space-y-3 border-l border-gray-200 pl-5 dark:border-gray-800"
      aria-label="Timeline"
    >
      {events.map((e) => (
        <li key={`${e.sessionId}-${e.kind}`} className="space-y-0.5" data-testid="timeline-event">
          <div className="flex flex-wrap items-center gap-2 text-sm">
            <RelativeTime at={e.at} className="text-gray-600 dark:text-gray-400" />
            <Badge tone={TONES[e.kind]}>{TIMELINE_LABELS[e.kind]}</Badge>
            <TextLink href={paths.session(e.sessionId)} className="font-mono text-xs">
              {e.sessionId}
            </TextLink>
          </div>
          <UpstreamText value={where(e)} className="text-xs text-gray-600 dark:text-gray-400" />
          {e.revokedBy ? (
            <p className="text-sm">
              By <UpstreamText value={e.revokedBy.email} inline max={120} />
              {e.revokedBy.reason ? (
                <>
                  : “<UpstreamText value={e.revokedBy.reason} inline max={300} />”
                </>
              ) : null}
              {e.revokedBy.outcome !== 'succeeded' ? ` (${e.revokedBy.outcome})` : ''}
              {e.revokedBy.jobId ? (
                <>
                  {' '}
                  in <TextLink href={paths.job(e.revokedBy.jobId)}>a job</TextLink>
                </>
              ) : null}
              <ReasonTags {...reasonView(e.revokedBy, reasons)} />
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
