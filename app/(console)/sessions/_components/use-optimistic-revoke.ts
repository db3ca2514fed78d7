'use client';

import { useState } from 'react';
import { useMutation, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { SessionDto } from '@/lib/clerk/dto';
import { refetchAsked } from '@/lib/queries/sessions';
import type { SessionsPage } from '@/lib/queries/sessions-page';
import type { SessionsQuery } from '@/lib/queries/sessions-query';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { describeError, unwrap } from './action-error';
import { revokeSessionAction } from '../actions';
import type { RevokeInput } from '@/components/sessions/revoke-dialog';

export type Notice =
  | { tone: 'success'; text: string }
  | { tone: 'error'; text: string; traceId: string | null }
  | null;

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

/** Shown revoked at once, rolled back if Clerk refuses. */
export function useOptimisticRevoke({
  query,
  queryKey,
  onStart,
}: {
  query: SessionsQuery;
  queryKey: readonly unknown[];
  onStart: (sessionId: string) => void;
}) {
  const qc = useQueryClient();
  const [pendingIds, setPendingIds] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<Notice>(null);
  const setPending = (id: string, on: boolean) =>
    setPendingIds((prev) => {
      const next = new Set(prev);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  const action = useConsoleAction<{ sessionId: string } & RevokeInput, SessionDto>(revokeSessionAction, {
    requestKey: true,
  });
  const revoke = useMutation({
    mutationFn: async (v: { sessionId: string } & RevokeInput) => unwrap(await action.run(v)),
    onMutate: async (v) => {
      setNotice(null);
      setPending(v.sessionId, true);
      onStart(v.sessionId);
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

  return { revoke: revoke.mutate, pendingIds, notice };
}
