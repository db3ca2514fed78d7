import { TextLink } from '@/components/ui/text-link';
import type { SessionDto } from '@/lib/clerk/dto';
import { Badge } from '@/components/ui/badge';
import { IdText } from '@/components/ui/id-text';
import { StatusBadge } from '@/components/ui/status-badge';
import { UpstreamText } from '@/components/ui/upstream-text';
import { DetailList } from './detail-list';
import { TimeValue } from './time-value';
import { paths } from '@/lib/paths';

export function SessionSummary({ session }: { session: SessionDto }) {
  return (
    <DetailList
      items={[
        { label: 'Status', value: <StatusBadge status={session.status} /> },
        { label: 'Session id', value: <IdText id={session.id} label="session id" /> },
        {
          label: 'User id',
          value: (
            <span className="flex flex-wrap items-center gap-x-3">
              <IdText id={session.userId} label="user id" />
              <TextLink href={paths.userSessions(session.userId)} className="text-sm">
                User’s sessions
              </TextLink>
            </span>
          ),
        },
        {
          label: 'Client id',
          value: (
            <span className="flex flex-wrap items-center gap-x-3">
              <IdText id={session.clientId} label="client id" />
              <TextLink href={paths.clientSessions(session.clientId)} className="text-sm">
                Client’s sessions
              </TextLink>
            </span>
          ),
        },
        { label: 'Created', value: <TimeValue at={session.createdAt} /> },
        { label: 'Updated', value: <TimeValue at={session.updatedAt} /> },
        { label: 'Last active', value: <TimeValue at={session.lastActiveAt} /> },
        { label: 'Expires', value: <TimeValue at={session.expireAt} /> },
        { label: 'Abandons', value: <TimeValue at={session.abandonAt} /> },
        {
          label: 'Impersonation',
          value: session.actor ? (
            <span className="flex flex-col gap-0.5">
              <Badge tone="purple" className="self-start">
                Impersonated
              </Badge>
              <span className="text-sm">
                Actor:{' '}
                <UpstreamText
                  value={session.actor.sub}
                  fallback="unknown"
                  className="inline font-mono text-xs"
                />
              </span>
              {session.actor.iss ? (
                <span className="text-xs text-gray-600 dark:text-gray-400">
                  Issuer: <UpstreamText value={session.actor.iss} className="inline font-mono" />
                </span>
              ) : null}
            </span>
          ) : (
            <span className="text-gray-700 dark:text-gray-300">None (signed in by the user)</span>
          ),
        },
        {
          label: 'Organisation',
          value: session.lastActiveOrganizationId ? (
            <IdText id={session.lastActiveOrganizationId} label="organisation id" />
          ) : (
            <span className="text-gray-700 dark:text-gray-300">None</span>
          ),
        },
      ]}
    />
  );
}
