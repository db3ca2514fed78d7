import { TextLink } from '@/components/ui/text-link';
import type { SessionDto } from '@/lib/clerk/dto';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { UpstreamText } from '@/components/ui/upstream-text';
import { deviceLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';

const TH =
  'px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-gray-600 dark:text-gray-400';

/** The client's other sessions (same browser or device), newest first, each linking to its own detail. */
export function ClientSessions({ sessions, currentId }: { sessions: SessionDto[]; currentId: string }) {
  const others = sessions.filter((s) => s.id !== currentId).sort((a, b) => b.createdAt - a.createdAt);
  if (!others.length)
    return <p className="text-sm text-gray-600 dark:text-gray-400">No other session on this client.</p>;
  return (
    <div
      role="region"
      aria-label="Other sessions on this client"
      tabIndex={0}
      className="overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800"
    >
      <table className="min-w-full divide-y divide-gray-200 text-sm dark:divide-gray-800">
        <caption className="sr-only">Other sessions on this client</caption>
        <thead className="bg-gray-50 dark:bg-gray-900">
          <tr>
            <th scope="col" className={TH}>
              Session
            </th>
            <th scope="col" className={TH}>
              Status
            </th>
            <th scope="col" className={TH}>
              Device
            </th>
            <th scope="col" className={TH}>
              Last active
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 dark:divide-gray-900">
          {others.map((s) => (
            <tr key={s.id} data-testid="client-session-row">
              <td className="px-3 py-2">
                <TextLink href={paths.session(s.id)} className="font-mono text-xs">
                  {s.id}
                </TextLink>
              </td>
              <td className="px-3 py-2">
                <StatusBadge status={s.status} />
              </td>
              <td className="max-w-[16rem] px-3 py-2">
                <UpstreamText value={deviceLabel(s.latestActivity)} />
              </td>
              <td className="px-3 py-2">
                <RelativeTime at={s.lastActiveAt} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
