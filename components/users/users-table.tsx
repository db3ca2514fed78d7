import { TextLink } from '@/components/ui/text-link';
import type { UserDto } from '@/lib/clerk/dto';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { UpstreamText } from '@/components/ui/upstream-text';
import { userLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';

/** Users matching a search: the name links to their sessions. */
export function UsersTable({ users }: { users: UserDto[] }) {
  return (
    <div className="relative overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800">
      <table className="w-full min-w-[640px] table-fixed text-left text-sm">
        <thead className="bg-gray-50 text-xs tracking-wide text-gray-700 uppercase dark:bg-gray-900 dark:text-gray-300">
          <tr>
            <th scope="col" className="w-[34%] px-3 py-2.5 font-semibold">
              Name
            </th>
            <th scope="col" className="w-[30%] px-3 py-2.5 font-semibold">
              Primary email
            </th>
            <th scope="col" className="px-3 py-2.5 font-semibold">
              Last active
            </th>
            <th scope="col" className="px-3 py-2.5 font-semibold">
              Created
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
          {users.map((u) => (
            <tr key={u.id} data-user-id={u.id} className="hover:bg-gray-50 dark:hover:bg-gray-900/60">
              <td className="px-3 py-2.5">
                <div className="flex min-w-0 items-center gap-1.5">
                  <TextLink href={paths.userSessions(u.id)} className="min-w-0 font-medium">
                    <UpstreamText value={userLabel(u)} />
                  </TextLink>
                  {u.banned ? <Badge tone="red">Banned</Badge> : null}
                  {u.locked ? <Badge tone="amber">Locked</Badge> : null}
                </div>
                <span
                  className="block truncate font-mono text-xs text-gray-600 dark:text-gray-400"
                  title={u.id}
                >
                  {u.id}
                </span>
              </td>
              <td className="px-3 py-2.5">
                <UpstreamText value={u.primaryEmail} fallback="No email" />
                {u.primaryPhone ? (
                  <UpstreamText value={u.primaryPhone} className="text-xs text-gray-600 dark:text-gray-400" />
                ) : null}
              </td>
              <td className="px-3 py-2.5">
                <RelativeTime at={u.lastActiveAt} fallback="never" />
              </td>
              <td className="px-3 py-2.5">
                <RelativeTime at={u.createdAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
