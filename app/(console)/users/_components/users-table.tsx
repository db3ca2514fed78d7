import { TextLink } from '@/components/ui/text-link';
import type { UserDto } from '@/lib/clerk/dto';
import { Table, TableBody, TableHead, Td, Th, Tr } from '@/components/ui/data-table';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { UpstreamText } from '@/components/ui/upstream-text';
import { userLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';

export function UsersTable({ users }: { users: UserDto[] }) {
  return (
    <Table minWidth={640} fixed>
      <TableHead>
        <Th className="w-[34%]">Name</Th>
        <Th className="w-[30%]">Primary email</Th>
        <Th>Last active</Th>
        <Th>Created</Th>
      </TableHead>
      <TableBody>
        {users.map((u) => (
          <Tr key={u.id} data-user-id={u.id}>
            <Td>
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
            </Td>
            <Td>
              <UpstreamText value={u.primaryEmail} fallback="No email" />
              {u.primaryPhone ? (
                <UpstreamText value={u.primaryPhone} className="text-xs text-gray-600 dark:text-gray-400" />
              ) : null}
            </Td>
            <Td>
              <RelativeTime at={u.lastActiveAt} fallback="never" />
            </Td>
            <Td>
              <RelativeTime at={u.createdAt} />
            </Td>
          </Tr>
        ))}
      </TableBody>
    </Table>
  );
}
