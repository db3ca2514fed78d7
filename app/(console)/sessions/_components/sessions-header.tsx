import type { ReactNode } from 'react';
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
      <Crumbs here="Sessions" />
      <h1 className="flex min-w-0 flex-wrap items-center gap-2 text-xl font-semibold">
        <UpstreamText value={name} className="max-w-full min-w-0" />
        {user.banned ? <Badge tone="red">Banned</Badge> : null}
        {user.locked ? <Badge tone="amber">Locked</Badge> : null}
      </h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <Fact label="Email" srOnly wide>
          <UpstreamText value={user.primaryEmail} fallback="No email" className="max-w-80" />
        </Fact>
        {user.primaryPhone ? (
          <Fact label="Phone" srOnly>
            <UpstreamText value={user.primaryPhone} />
          </Fact>
        ) : null}
        <Fact label="User id" wide>
          <IdText id={user.id} label="user id" />
        </Fact>
        <Fact label="Last active">
          <RelativeTime at={user.lastActiveAt} fallback="never" />
        </Fact>
      </dl>
    </header>
  );
}

export function ClientHeader({ client }: { client: ClientDto }) {
  const userIds = [...new Set(client.sessions.map((s) => s.userId))];
  return (
    <header className="space-y-1">
      <Crumbs here="Client sessions" />
      <h1 className="text-xl font-semibold">Client</h1>
      <dl className="flex flex-wrap items-center gap-x-6 gap-y-1 text-sm text-gray-700 dark:text-gray-300">
        <Fact label="Client id" wide>
          <IdText id={client.id} label="client id" />
        </Fact>
        <Fact label="Created">
          <RelativeTime at={client.createdAt} />
        </Fact>
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

function Crumbs({ here }: { here: string }) {
  return (
    <p className="text-sm text-gray-600 dark:text-gray-400">
      <Link href={paths.users()} className="underline-offset-2 hover:underline">
        Users
      </Link>{' '}
      / {here}
    </p>
  );
}

function Fact({
  label,
  srOnly,
  wide,
  children,
}: {
  label: string;
  srOnly?: boolean;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <div className={wide ? 'flex min-w-0 items-center gap-1.5' : 'flex items-center gap-1.5'}>
      <dt className={srOnly ? 'sr-only' : 'text-gray-600 dark:text-gray-400'}>{label}</dt>
      <dd className={wide ? 'min-w-0' : undefined}>{children}</dd>
    </div>
  );
}
