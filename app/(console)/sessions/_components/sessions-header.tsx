import type { ClientDto, UserDto } from '@/lib/clerk';
import { Badge } from '@/components/ui/badge';
import { IdText } from '@/components/ui/id-text';
import { Link } from '@/components/ui/link';
import { RelativeTime } from '@/components/ui/relative-time';
import { TextLink } from '@/components/ui/text-link';
import { UpstreamText } from '@/components/ui/upstream-text';
import { userLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';

export function UserHeader({ user }: { user: UserDto }) {
  const name = userLabel(user);
  return (
    <header className="space-y-1">
      <p className="text-sm text-gray-600 dark:text-gray-400">
        <Link href={paths.users()} className="underline-offset-2 hover:underline">
          Users
        </Link>{' '}
        / Sessions
      </p>
      <h1 className="flex min-w-0 flex-wrap items-center gap-2 text-xl font-semibold">
        <UpstreamText value={name} className="max-w-full min-w-0" />
        {user.banned ? <Badge tone="red">Banned</Badge> : null}
        {user.locked ? <Badge tone="amber">Locked</Badge> : null}
      </h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="sr-only">Email</dt>
          <dd className="min-w-0">
            <UpstreamText value={user.primaryEmail} fallback="No email" className="max-w-80" />
          </dd>
        </div>
        {user.primaryPhone ? (
          <div className="flex items-center gap-1.5">
            <dt className="sr-only">Phone</dt>
            <dd>
              <UpstreamText value={user.primaryPhone} />
            </dd>
          </div>
        ) : null}
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">User id</dt>
          <dd className="min-w-0">
            <IdText id={user.id} label="user id" />
          </dd>
        </div>
        <div className="flex items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Last active</dt>
          <dd>
            <RelativeTime at={user.lastActiveAt} fallback="never" />
          </dd>
        </div>
      </dl>
    </header>
  );
}

export function ClientHeader({ client }: { client: ClientDto }) {
  const userIds = [...new Set(client.sessions.map((s) => s.userId))];
  return (
    <header className="space-y-1">
      <p className="text-sm text-gray-600 dark:text-gray-400">
        <Link href={paths.users()} className="underline-offset-2 hover:underline">
          Users
        </Link>{' '}
        / Client sessions
      </p>
      <h1 className="text-xl font-semibold">Client</h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <div className="flex min-w-0 items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Client id</dt>
          <dd className="min-w-0">
            <IdText id={client.id} label="client id" />
          </dd>
        </div>
        <div className="flex items-center gap-1.5">
          <dt className="text-gray-600 dark:text-gray-400">Created</dt>
          <dd>
            <RelativeTime at={client.createdAt} />
          </dd>
        </div>
        {userIds.length ? (
          <div className="flex min-w-0 flex-wrap items-center gap-1.5">
            <dt className="text-gray-600 dark:text-gray-400">{userIds.length === 1 ? 'User' : 'Users'}</dt>
            {userIds.slice(0, 10).map((id) => (
              <dd key={id}>
                <TextLink href={paths.userSessions(id)} className="font-mono text-xs">
                  {id}
                </TextLink>
              </dd>
            ))}
          </div>
        ) : null}
      </dl>
    </header>
  );
}
