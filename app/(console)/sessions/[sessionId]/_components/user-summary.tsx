import { TextLink } from '@/components/ui/text-link';
import type { UserDto } from '@/lib/clerk/dto';
import { Badge } from '@/components/ui/badge';
import { IdText } from '@/components/ui/id-text';
import { UpstreamText } from '@/components/ui/upstream-text';
import { DetailList } from './detail-list';
import { TimeValue } from './time-value';
import { paths } from '@/lib/paths';

export function UserSummary({ user }: { user: UserDto }) {
  return (
    <div className="space-y-3">
      <DetailList
        items={[
          { label: 'Name', value: <UpstreamText value={user.displayName} className="font-medium" /> },
          { label: 'Email', value: <UpstreamText value={user.primaryEmail} /> },
          { label: 'Phone', value: <UpstreamText value={user.primaryPhone} /> },
          { label: 'User id', value: <IdText id={user.id} label="user id" /> },
          {
            label: 'Account',
            value:
              user.banned || user.locked ? (
                <span className="flex gap-1">
                  {user.banned ? <Badge tone="red">Banned</Badge> : null}
                  {user.locked ? <Badge tone="amber">Locked</Badge> : null}
                </span>
              ) : (
                'In good standing'
              ),
          },
          { label: 'Last sign-in', value: <TimeValue at={user.lastSignInAt} /> },
        ]}
      />
      <p className="flex flex-wrap gap-x-4 text-sm">
        <TextLink href={paths.userSessions(user.id)} className="font-medium">
          Active sessions of this user
        </TextLink>
        <TextLink href={paths.userSessions(user.id, { status: 'all' })} className="font-medium">
          All sessions of this user
        </TextLink>
      </p>
    </div>
  );
}
