import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { Badge } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusBadge } from '@/components/ui/status-badge';
import { TextLink } from '@/components/ui/text-link';
import { UpstreamText } from '@/components/ui/upstream-text';
import { countryName } from '@/lib/risk/countries';
import { SIGNAL_LABELS, type SignalKind } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';
import type { SearchRowDto } from '@/lib/session-index/search-link';

const LABELS = ['Last active', 'User', 'Session', 'Status', 'Address', 'Place', 'Device', 'Signals'];

function place(r: SearchRowDto): string | null {
  const country = r.country ? (countryName(r.country) ?? r.country) : null;
  return [r.city, country].filter(Boolean).join(', ') || null;
}

export function SearchResults({ rows }: { rows: readonly SearchRowDto[] }) {
  return (
    <Table caption="Matching sessions" focusable minWidth={1000}>
      <TableHead labels={LABELS} />
      <TableBody>
        {rows.map((r) => (
          <Tr key={r.sessionId} data-testid="search-row">
            <Td>
              <RelativeTime at={r.lastActiveAt} fallback="never" />
            </Td>
            <Td className="max-w-64">
              <TextLink href={paths.userSessions(r.userId)} className="block min-w-0">
                <UpstreamText value={r.userName ?? r.userEmail} fallback={r.userId} />
              </TextLink>
              {r.userName ? (
                <UpstreamText value={r.userEmail} className="text-xs text-gray-600 dark:text-gray-400" />
              ) : null}
            </Td>
            <Td>
              <TextLink href={paths.session(r.sessionId)} className="font-mono text-xs">
                {r.sessionId}
              </TextLink>
            </Td>
            <Td>
              <StatusBadge status={r.status} />
            </Td>
            <Td className="font-mono text-xs">
              <UpstreamText value={r.ip} />
            </Td>
            <Td className="max-w-48">
              <UpstreamText value={place(r)} />
            </Td>
            <Td className="max-w-48">
              <UpstreamText value={[r.deviceType, r.browserName].filter(Boolean).join(' · ') || null} />
            </Td>
            <Td>
              <span className="flex flex-wrap gap-1">
                {r.impersonated ? <Badge tone="purple">Impersonated</Badge> : null}
                {r.signals.map((s) => (
                  <Badge
                    key={s.kind}
                    tone={s.severity === 'high' ? 'red' : s.severity === 'medium' ? 'amber' : 'neutral'}
                  >
                    {SIGNAL_LABELS[s.kind as SignalKind] ?? s.kind}
                  </Badge>
                ))}
              </span>
            </Td>
          </Tr>
        ))}
      </TableBody>
    </Table>
  );
}
