'use client';

import { TextLink } from '@/components/ui/text-link';
import { useMemo } from 'react';
import {
  createColumnHelper,
  renderHeader,
  useTableModel,
  type RowSelectionState,
  type OnChangeFn,
} from '@/components/ui/table-model';
import { Table, TableBody, TableHead, Td, Th, Tr } from '@/components/ui/data-table';
import type { SessionDto } from '@/lib/clerk/dto';
import { StatusBadge } from '@/components/ui/status-badge';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { UpstreamText } from '@/components/ui/upstream-text';
import { CopyButton } from '@/components/ui/copy-button';
import { SignalBadges } from '@/components/risk/signal-badges';
import type { ReviewedSignal } from '@/lib/risk/types';
import { actorLabel, browserLabel, locationLabel } from '@/components/sessions/session-format';
import { paths } from '@/lib/paths';
import { cn } from '@/components/ui/cn';

export interface SessionsTableProps {
  rows: SessionDto[];
  /** UI only: the server refuses a viewer anyway. */
  canRevoke: boolean;
  rowSelection: RowSelectionState;
  onRowSelectionChange: OnChangeFn<RowSelectionState>;
  onRevoke(session: SessionDto): void;
  onKeepOnly?(session: SessionDto): void;
  pendingIds: ReadonlySet<string>;
  linkClients: boolean;
  signals?: Readonly<Record<string, readonly ReviewedSignal[]>>;
  countryNames?: Readonly<Record<string, string>>;
}

const col = createColumnHelper<SessionDto>();

// Sticky row actions at laptop widths only: on a phone they would cover most of the row.
const STICKY_HEAD =
  'md:sticky md:right-0 md:z-[1] md:border-l md:border-gray-200 md:bg-gray-50 md:dark:border-gray-800 md:dark:bg-gray-900';
const STICKY_CELL =
  'md:sticky md:right-0 md:z-[1] md:border-l md:border-gray-100 md:bg-white md:group-hover/row:bg-gray-50 md:group-data-selected/row:bg-blue-50 md:dark:border-gray-800 md:dark:bg-gray-950 md:dark:group-hover/row:bg-gray-900 md:dark:group-data-selected/row:bg-blue-950';

export const isRevocable = (s: SessionDto) => s.status === 'active';

export function SessionsTable({
  rows,
  canRevoke,
  rowSelection,
  onRowSelectionChange,
  onRevoke,
  onKeepOnly,
  pendingIds,
  linkClients,
  signals,
  countryNames,
}: SessionsTableProps) {
  const columns = useMemo(
    () => [
      ...(canRevoke
        ? [
            col.display({
              id: 'select',
              header: ({ table }) => {
                const selectable = table.getRowModel().rows.filter((r) => r.getCanSelect());
                const all = selectable.length > 0 && selectable.every((r) => r.getIsSelected());
                const some = selectable.some((r) => r.getIsSelected());
                return (
                  <input
                    type="checkbox"
                    aria-label="Select all active sessions on this page"
                    className="h-4 w-4"
                    disabled={selectable.length === 0}
                    checked={all}
                    ref={(el) => {
                      if (el) el.indeterminate = some && !all;
                    }}
                    onChange={(e) => selectable.forEach((r) => r.toggleSelected(e.target.checked))}
                  />
                );
              },
              cell: ({ row }) =>
                row.getCanSelect() ? (
                  <input
                    type="checkbox"
                    aria-label={`Select session ${row.original.id}`}
                    className="h-4 w-4"
                    checked={row.getIsSelected()}
                    onChange={row.getToggleSelectedHandler()}
                  />
                ) : null,
            }),
          ]
        : []),
      col.accessor('id', {
        header: 'Session',
        cell: ({ row, getValue }) => {
          const actor = actorLabel(row.original.actor);
          // The signals column already says "Impersonation" where the risk read covered this session.
          const flagged = signals?.[row.original.id]?.some((x) => x.kind === 'impersonation');
          return (
            <div className="flex max-w-40 min-w-0 flex-col items-start gap-1">
              <span className="inline-flex max-w-full items-center gap-0.5">
                <TextLink
                  href={paths.session(getValue())}
                  className="truncate font-mono text-xs"
                  title={getValue()}
                >
                  {getValue()}
                </TextLink>
                <CopyButton value={getValue()} label="session id" />
              </span>
              {actor && !flagged ? (
                <Badge tone="purple" title={actor}>
                  Impersonation
                </Badge>
              ) : null}
            </div>
          );
        },
      }),
      col.accessor('status', {
        header: 'Status',
        cell: ({ row, getValue }) =>
          pendingIds.has(row.original.id) ? (
            <span className="inline-flex items-center gap-1">
              <StatusBadge status={getValue()} />
              <span className="text-xs text-gray-600 dark:text-gray-400">Revoking…</span>
            </span>
          ) : (
            <StatusBadge status={getValue()} />
          ),
      }),
      ...(signals
        ? [
            col.display({
              id: 'signals',
              header: 'Signals',
              cell: ({ row }) => (
                <SignalBadges
                  signals={signals[row.original.id] ?? []}
                  idPrefix={`signal-${row.original.id}`}
                />
              ),
            }),
          ]
        : []),
      // On a client's own page every row has the same client, so it is left out.
      col.accessor((s) => s.latestActivity, {
        id: 'device',
        header: 'Device',
        cell: ({ getValue, row }) => {
          const a = getValue();
          return (
            <div className="max-w-48 min-w-0">
              <UpstreamText value={a?.deviceType} fallback="Unknown device" />
              <div className="flex min-w-0 items-center gap-1 text-xs text-gray-600 dark:text-gray-400">
                <UpstreamText value={browserLabel(a)} fallback="Unknown browser" className="min-w-0" />
                {a?.isMobile ? <Badge tone="blue">Mobile</Badge> : null}
              </div>
              {linkClients ? (
                <TextLink
                  href={paths.clientSessions(row.original.clientId)}
                  className="block max-w-full truncate font-mono text-xs"
                  title={`All sessions of client ${row.original.clientId}`}
                >
                  {row.original.clientId}
                </TextLink>
              ) : null}
            </div>
          );
        },
      }),
      col.accessor((s) => s.latestActivity?.ipAddress ?? null, {
        id: 'ip',
        header: 'IP and place',
        cell: ({ getValue, row }) => {
          return (
            <div className="max-w-48 min-w-0">
              <UpstreamText value={getValue()} className="font-mono text-xs" fallback="No IP" />
              {/* The place wraps rather than cut "United States" to "United …"; `max` bounds a hostile city. */}
              <UpstreamText
                value={locationLabel(row.original.latestActivity, countryNames)}
                fallback="Unknown place"
                wrap
                max={80}
                className="text-xs text-gray-600 dark:text-gray-400"
              />
            </div>
          );
        },
      }),
      col.accessor('lastActiveAt', {
        header: 'Last active',
        cell: ({ getValue, row }) => (
          <div className="flex flex-col">
            <RelativeTime at={getValue()} />
            <RelativeTime
              at={row.original.createdAt}
              prefix="created"
              className="text-xs text-gray-600 dark:text-gray-400"
            />
          </div>
        ),
      }),
      col.accessor('expireAt', {
        header: 'Expires',
        cell: ({ getValue }) => <RelativeTime at={getValue()} />,
      }),
      ...(canRevoke
        ? [
            col.display({
              id: 'actions',
              header: () => <span className="sr-only">Actions</span>,
              cell: ({ row }) =>
                isRevocable(row.original) && !pendingIds.has(row.original.id) ? (
                  <div className="flex flex-col items-start gap-1 whitespace-nowrap">
                    <Button
                      size="sm"
                      variant="secondary"
                      className="text-red-800 dark:text-red-300"
                      onClick={() => onRevoke(row.original)}
                    >
                      Revoke<span className="sr-only"> session {row.original.id}</span>
                    </Button>
                    {onKeepOnly ? (
                      <Button size="sm" variant="ghost" onClick={() => onKeepOnly(row.original)}>
                        Keep only this<span className="sr-only"> session {row.original.id}</span>
                      </Button>
                    ) : null}
                  </div>
                ) : null,
            }),
          ]
        : []),
    ],
    [canRevoke, pendingIds, linkClients, onRevoke, onKeepOnly, signals, countryNames],
  );

  const table = useTableModel({
    data: rows,
    getRowId: (s) => s.id,
    enableRowSelection: (row) => canRevoke && isRevocable(row.original) && !pendingIds.has(row.original.id),
    rowSelection,
    onRowSelectionChange,
  });

  return (
    <Table minWidth={960}>
      <TableHead>
        {columns.map((c) => (
          <Th key={c.id} className={cn('whitespace-nowrap', c.id === 'actions' && STICKY_HEAD)}>
            {renderHeader(c, table)}
          </Th>
        ))}
      </TableHead>
      <TableBody>
        {table.getRowModel().rows.map((row) => (
          <Tr
            key={row.id}
            data-session-id={row.original.id}
            data-status={row.original.status}
            selected={row.getIsSelected()}
            className="group/row align-top"
          >
            {columns.map((c) => (
              <Td key={c.id} data-column={c.id} className={c.id === 'actions' ? STICKY_CELL : undefined}>
                {c.cell({ row, table, getValue: () => c.value(row.original) })}
              </Td>
            ))}
          </Tr>
        ))}
      </TableBody>
    </Table>
  );
}
