'use client';

import { useCallback, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { RowSelectionState } from '@/components/ui/table-model';
import type { SessionDto } from '@/lib/clerk/dto';
import { PAGE_SIZES } from '@/lib/vocabulary';
import { refetchAsked } from '@/lib/queries/sessions';
import type { SessionsPage } from '@/lib/queries/sessions-page';
import { Pagination } from '@/components/ui/pagination';
import { SessionsTable } from './sessions-table';
import { RevokeDialog, type RevokeTarget } from '@/components/sessions/revoke-dialog';
import { deviceLabel } from '@/components/sessions/session-format';
import { sessionsParams, type SessionsQuery } from '@/lib/queries/sessions-query';
import { downloadText, sessionsCsvFilename, sessionsToCsv } from './sessions-csv';
import { useSessionsList } from './use-sessions-list';
import { useOptimisticRevoke } from './use-optimistic-revoke';
import { SessionsToolbar } from './sessions-toolbar';
import { SessionsNotices } from './sessions-notices';
import { SessionsEmpty } from './sessions-empty';
import { BulkJobDialog, BulkRevokeButtons, type BulkRequest } from './bulk-revoke';

export type SessionsSubject =
  | { kind: 'user'; userId: string; label: string; hasEmail: boolean }
  | { kind: 'client'; clientId: string };

export function SessionsView({
  query,
  initial,
  canRevoke,
  subject,
}: {
  query: SessionsQuery;
  initial: SessionsPage;
  canRevoke: boolean;
  subject: SessionsSubject;
}) {
  const qc = useQueryClient();
  const { list, queryKey } = useSessionsList(query, initial);
  // Each poll brings the rows' risk badges with the rows (absent when the risk read failed).
  const page: SessionsPage = list.data;
  const rows = page.data;
  const risk = page.risk;

  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [revokeTarget, setRevokeTarget] = useState<RevokeTarget | null>(null);
  const [bulk, setBulk] = useState<BulkRequest | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);
  const { revoke, pendingIds, notice } = useOptimisticRevoke({
    query,
    queryKey,
    onStart: (sessionId) =>
      setRowSelection((sel) => {
        const { [sessionId]: _drop, ...rest } = sel;
        return rest;
      }),
  });

  const userLabel = subject.kind === 'user' ? subject.label : null;
  // A client's list may hold several users: the server then decides whether the owner has an address.
  const hasEmail = subject.kind === 'user' ? subject.hasEmail : undefined;
  const onRevoke = useCallback(
    (s: SessionDto) =>
      setRevokeTarget({
        sessionId: s.id,
        userLabel: userLabel ?? s.userId,
        deviceLabel: deviceLabel(s.latestActivity),
        hasEmail,
      }),
    [userLabel, hasEmail],
  );

  const onKeepOnly = useCallback(
    (s: SessionDto) =>
      setBulk({
        title: 'Sign out everywhere except this device',
        noun: 'other active session',
        target: { kind: 'user_except', userId: s.userId, keepSessionId: s.id },
      }),
    [],
  );

  const selectedIds = Object.keys(rowSelection).filter(
    (id) => rowSelection[id] && rows.some((s) => s.id === id && s.status === 'active'),
  );

  function exportCsv() {
    const id = subject.kind === 'user' ? subject.userId : subject.clientId;
    downloadText(
      sessionsCsvFilename(id, query.status, Math.floor(query.offset / query.limit) + 1),
      sessionsToCsv(rows),
    );
  }

  return (
    <section aria-labelledby="sessions-heading" className="space-y-4">
      <h2 id="sessions-heading" className="sr-only">
        Sessions
      </h2>
      <SessionsToolbar
        query={query}
        showLook={Boolean(risk)}
        isFetching={list.isFetching}
        updatedAt={list.dataUpdatedAt}
        onRefresh={() => void refetchAsked(qc, query)}
        onExport={exportCsv}
        canExport={rows.length > 0}
      >
        {canRevoke ? (
          <BulkRevokeButtons
            selectedIds={selectedIds}
            userId={subject.kind === 'user' ? subject.userId : null}
            onStart={setBulk}
          />
        ) : null}
      </SessionsToolbar>

      <SessionsNotices notice={notice} listError={list.error} query={query} noticeRef={noticeRef} />

      {rows.length === 0 ? (
        <SessionsEmpty query={query} totalCount={page.totalCount} userLabel={userLabel} />
      ) : (
        <SessionsTable
          rows={rows}
          canRevoke={canRevoke}
          rowSelection={rowSelection}
          onRowSelectionChange={setRowSelection}
          onRevoke={onRevoke}
          onKeepOnly={onKeepOnly}
          pendingIds={pendingIds}
          linkClients={subject.kind === 'user'}
          signals={risk?.signals}
          countryNames={risk?.countryNames}
        />
      )}

      <Pagination
        pathname="/sessions"
        params={sessionsParams(query)}
        total={page.totalCount}
        limit={query.limit}
        offset={query.offset}
        shown={rows.length}
        pageSizes={PAGE_SIZES}
        noun="session"
      />

      {canRevoke ? (
        <>
          <RevokeDialog
            target={revokeTarget}
            onOpenChange={(open) => (open ? undefined : setRevokeTarget(null))}
            fallbackFocus={() => noticeRef.current}
            onConfirm={(t, input) => {
              setRevokeTarget(null);
              revoke({ sessionId: t.sessionId, ...input });
            }}
          />
          {bulk ? (
            <BulkJobDialog
              bulk={bulk}
              subjectLabel={userLabel}
              onClose={() => setBulk(null)}
              fallbackFocus={() => noticeRef.current}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
