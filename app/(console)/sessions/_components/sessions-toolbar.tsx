'use client';

import type { ReactNode } from 'react';
import { Button } from '@/components/ui/button';
import { RelativeTime } from '@/components/ui/relative-time';
import { StatusFilter } from './status-filter';
import type { SessionsQuery } from '@/lib/queries/sessions-query';
import { LookFilter } from './look-filter';

export function SessionsToolbar({
  query,
  showLook,
  isFetching,
  updatedAt,
  onRefresh,
  onExport,
  canExport,
  children,
}: {
  query: SessionsQuery;
  showLook: boolean;
  isFetching: boolean;
  updatedAt: number;
  onRefresh: () => void;
  onExport: () => void;
  canExport: boolean;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-wrap items-center justify-between gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <StatusFilter query={query} />
        {showLook ? <LookFilter query={query} /> : null}
      </div>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-xs text-gray-600 dark:text-gray-400" aria-live="off">
          {isFetching ? 'Refreshing…' : <RelativeTime at={updatedAt} prefix="Updated" />}
        </span>
        <Button size="sm" variant="ghost" onClick={onRefresh} disabled={isFetching}>
          Refresh
        </Button>
        <Button size="sm" onClick={onExport} disabled={!canExport}>
          Export CSV
        </Button>
        {children}
      </div>
    </div>
  );
}
