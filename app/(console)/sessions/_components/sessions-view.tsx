'use client';

import dynamic from 'next/dynamic';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { RowSelectionState } from '@/components/ui/table-model';
import type { SessionDto } from '@/lib/clerk/dto';
import { PAGE_SIZES } from '@/lib/vocabulary';
import { revokeSessionAction } from '../actions';
import { createJobAction, dryRunJobAction } from '../../jobs/actions';
import { refetchAsked, sessionsQuery, type SessionsPage } from '@/lib/queries/sessions';
import { Alert } from '@/components/ui/alert';
import { Button, ButtonLink } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { Pagination } from '@/components/ui/pagination';
import { RelativeTime } from '@/components/ui/relative-time';
import { SessionsTable } from '@/components/sessions/sessions-table';
import { StatusFilter } from '@/components/sessions/status-filter';
import { RevokeDialog, type RevokeTarget } from '@/components/sessions/revoke-dialog';
import type { JobTarget } from '@/lib/jobs/inputs';
import { deviceLabel } from '@/components/sessions/session-format';
import { sessionsHref, sessionsParams, type SessionsQuery } from '@/components/sessions/sessions-query';
import { downloadText, sessionsCsvFilename, sessionsToCsv } from '@/components/sessions/sessions-csv';
import { ActionError, describeError, unwrap } from '@/components/sessions/action-error';
import { LookFilter } from '@/components/risk/look-filter';
import type { ReviewedSignal } from '@/lib/risk/types';
import { paths } from '@/lib/paths';

// Opened only by support and admins, and rarely: its code loads when it opens.
const JobDialog = dynamic(() => import('@/components/sessions/job-dialog').then((m) => m.JobDialog), {
  ssr: false,
});

export type SessionsSubject =
  | { kind: 'user'; userId: string; label: string }
  | { kind: 'client'; clientId: string };

/** Risk signals of a user's sessions, computed on the server for the first render (user views only). */
export interface SessionsRisk {
  signals: Record<string, ReviewedSignal[]>;
  countryNames: Record<string, string>;
}

export const POLL_INTERVAL_MS = 15_000;
const STOP_POLLING = new Set(['unauthenticated', 'forbidden']);

function patchRows(
  qc: QueryClient,
  queryKey: readonly unknown[],
  ids: ReadonlySet<string>,
  patch: (s: SessionDto) => SessionDto,
) {
  qc.setQueryData<SessionsPage>(queryKey, (page) =>
    page ? { ...page, data: page.data.map((s) => (ids.has(s.id) ? patch(s) : s)) } : page,
  );
}

type Notice =
  | { tone: 'success'; text: string }
  | { tone: 'error'; text: string; traceId: string | null }
  | null;

/**
 * The live part of the sessions page: the first page comes from the Server Component; react-query then polls
 * it (every 15 s while the tab is visible), applies revokes optimistically and drives bulk revokes.
 */
export function SessionsView({
  query,
  initial,
  canRevoke,
  subject,
  risk,
}: {
  query: SessionsQuery;
  initial: SessionsPage;
  canRevoke: boolean;
  subject: SessionsSubject;
  risk?: SessionsRisk;
}) {
  const qc = useQueryClient();
  const options = useMemo(() => sessionsQuery(query), [query]);
  const queryKey = options.queryKey;
  const list = useQuery({
    ...options,
    initialData: initial,
    initialDataUpdatedAt: initial.fetchedAt,
    staleTime: 10_000,
    refetchInterval: (q) =>
      q.state.error instanceof ActionError && STOP_POLLING.has(q.state.error.failure.kind)
        ? false
        : POLL_INTERVAL_MS,
  });
  const page = list.data;
  const rows = page.data;

  const [rowSelection, setRowSelection] = useState<RowSelectionState>({});
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice>(null);
  const [revokeTarget, setRevokeTarget] = useState<RevokeTarget | null>(null);
  const [bulk, setBulk] = useState<{ title: string; noun: string; target: JobTarget } | null>(null);
  const noticeRef = useRef<HTMLDivElement>(null);

  const userLabelOf = useCallback(
    (s: SessionDto) => (subject.kind === 'user' ? subject.label : s.userId),
    [subject],
  );
  const setPending = (id: string, on: boolean) =>
    setPendingIds((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const revoke = useMutation({
    mutationFn: async (v: { sessionId: string; reason: string; idempotencyKey: string }) =>
      unwrap(await revokeSessionAction(v)),
    onMutate: async (v) => {
      setNotice(null);
      setPending(v.sessionId, true);
      setRowSelection((sel) => {
        const { [v.sessionId]: _drop, ...rest } = sel;
        return rest;
      });
      // A poll landing now must not overwrite the optimistic row with the pre-revoke state.
      await qc.cancelQueries({ queryKey });
      const before = qc.getQueryData<SessionsPage>(queryKey)?.data.find((s) => s.id === v.sessionId) ?? null;
      patchRows(qc, queryKey, new Set([v.sessionId]), (s) => ({ ...s, status: 'revoked' }));
      return { before };
    },
    onSuccess: (session, v) => {
      patchRows(qc, queryKey, new Set([v.sessionId]), () => session);
      setNotice({ tone: 'success', text: `Session ${v.sessionId} revoked.` });
    },
    onError: (error, v, ctx) => {
      if (ctx?.before) {
        const before = ctx.before;
        patchRows(qc, queryKey, new Set([v.sessionId]), () => before);
      }
      const e = describeError(error);
      setNotice({
        tone: 'error',
        text: `Session ${v.sessionId} was not revoked. ${e.message}`,
        traceId: e.traceId,
      });
      // The row we rolled back to may itself be stale (someone else revoked it): fetch the truth.
      if (e.kind === 'already_revoked' || e.kind === 'not_found') void refetchAsked(qc, query);
    },
    onSettled: (_d, _e, v) => setPending(v.sessionId, false),
  });

  const onRevoke = useCallback(
    (s: SessionDto) =>
      setRevokeTarget({
        sessionId: s.id,
        userLabel: userLabelOf(s),
        deviceLabel: deviceLabel(s.latestActivity),
      }),
    [userLabelOf],
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

  const pollError = list.error ? describeError(list.error) : null;
  const statusWord = query.status === 'all' ? '' : `${query.status} `;

  return (
    <section aria-labelledby="sessions-heading" className="space-y-4">
      <h2 id="sessions-heading" className="sr-only">
        Sessions
      </h2>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="flex flex-wrap items-center gap-3">
          <StatusFilter query={query} />
          {risk ? <LookFilter query={query} /> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-xs text-gray-600 dark:text-gray-400" aria-live="off">
            {list.isFetching ? 'Refreshing…' : <RelativeTime at={list.dataUpdatedAt} prefix="Updated" />}
          </span>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void refetchAsked(qc, query)}
            disabled={list.isFetching}
          >
            Refresh
          </Button>
          <Button size="sm" onClick={exportCsv} disabled={rows.length === 0}>
            Export CSV
          </Button>
          {canRevoke && selectedIds.length > 0 ? (
            <Button
              size="sm"
              variant="danger"
              onClick={() =>
                setBulk({
                  title: 'Revoke selected sessions',
                  noun: 'selected session',
                  target: {
                    kind: 'sessions',
                    sessionIds: selectedIds,
                    ...(subject.kind === 'user' ? { userId: subject.userId } : {}),
                  },
                })
              }
            >
              Revoke selected ({selectedIds.length})
            </Button>
          ) : null}
          {canRevoke && subject.kind === 'user' ? (
            <Button
              size="sm"
              variant="danger"
              onClick={() =>
                setBulk({
                  title: 'Sign out everywhere',
                  noun: 'active session',
                  target: { kind: 'users', userIds: [subject.userId] },
                })
              }
            >
              Revoke all active sessions
            </Button>
          ) : null}
        </div>
      </div>

      <div ref={noticeRef} tabIndex={-1} role="status" aria-live="polite" className="focus:outline-none">
        {notice?.tone === 'success' ? (
          <Alert tone="success" role={null}>
            {notice.text}
          </Alert>
        ) : null}
      </div>
      {notice?.tone === 'error' ? (
        <Alert tone="error" traceId={notice.traceId}>
          {notice.text}
        </Alert>
      ) : null}
      {pollError ? (
        <Alert tone="warning" traceId={pollError.traceId} title="Could not refresh this list">
          {pollError.message}{' '}
          {pollError.kind === 'unauthenticated' ? (
            <a className="underline" href={paths.signIn(sessionsHref(query))}>
              Sign in again
            </a>
          ) : (
            'Showing the last rows loaded.'
          )}
        </Alert>
      ) : null}

      {rows.length === 0 ? (
        query.offset > 0 && page.totalCount > 0 ? (
          <EmptyState
            title="This page is past the end of the list"
            action={<ButtonLink href={sessionsHref(query, { offset: 0 })}>Go to the first page</ButtonLink>}
          />
        ) : (
          <EmptyState
            title={query.look ? `No ${statusWord}sessions need a look` : `No ${statusWord}sessions`}
            description={
              subject.kind === 'user'
                ? `${subject.label.slice(0, 120)} has no ${statusWord}sessions.`
                : `This client has no ${statusWord}sessions.`
            }
            action={
              query.status !== 'all' ? (
                <ButtonLink href={sessionsHref(query, { status: 'all' })}>Show all statuses</ButtonLink>
              ) : undefined
            }
          />
        )
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
        noun="sessions"
      />

      {canRevoke ? (
        <>
          <RevokeDialog
            target={revokeTarget}
            onOpenChange={(open) => (open ? undefined : setRevokeTarget(null))}
            fallbackFocus={() => noticeRef.current}
            onConfirm={(t, reason, idempotencyKey) => {
              setRevokeTarget(null);
              revoke.mutate({ sessionId: t.sessionId, reason, idempotencyKey });
            }}
          />
          {bulk ? (
            <JobDialog
              open
              onOpenChange={(open) => (open ? undefined : setBulk(null))}
              title={bulk.title}
              noun={bulk.noun}
              target={bulk.target}
              subjectLabel={subject.kind === 'user' ? subject.label : null}
              dryRun={dryRunJobAction}
              createJob={createJobAction}
              fallbackFocus={() => noticeRef.current}
            />
          ) : null}
        </>
      ) : null}
    </section>
  );
}
