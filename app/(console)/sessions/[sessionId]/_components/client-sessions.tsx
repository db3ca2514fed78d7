import { TextLink } from '@/components/ui/text-link';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import type { SessionDto } from '@/lib/clerk/dto';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { UpstreamText } from '@/components/ui/upstream-text';
import { deviceLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';

export function ClientSessions({ sessions, currentId }: { sessions: SessionDto[]; currentId: string }) {
  const others = sessions.filter((s) => s.id !== currentId).sort((a, b) => b.createdAt - a.createdAt);
  if (!others.length)
    return <p className="text-sm text-gray-600 dark:text-gray-400">No other session on this client.</p>;
  return (
    <Table caption="Other sessions on this client" focusable>
      <TableHead labels={['Session', 'Status', 'Device', 'Last active']} />
      <TableBody>
        {others.map((s) => (
          <Tr key={s.id} data-testid="client-session-row">
            <Td>
              <TextLink href={paths.session(s.id)} className="font-mono text-xs">
                {s.id}
              </TextLink>
            </Td>
            <Td>
              <StatusBadge status={s.status} />
            </Td>
            <Td className="max-w-[16rem]">
              <UpstreamText value={deviceLabel(s.latestActivity)} />
            </Td>
            <Td>
              <RelativeTime at={s.lastActiveAt} />
            </Td>
          </Tr>
        ))}
      </TableBody>
    </Table>
  );
}
