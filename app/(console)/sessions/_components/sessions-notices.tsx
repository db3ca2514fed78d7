'use client';

import type { Ref } from 'react';
import { Alert } from '@/components/ui/alert';
import { sessionsHref, type SessionsQuery } from '@/lib/queries/sessions-query';
import { describeError } from './action-error';
import { paths } from '@/lib/paths';
import type { Notice } from './use-optimistic-revoke';

export function SessionsNotices({
  notice,
  listError,
  query,
  noticeRef,
}: {
  notice: Notice;
  listError: unknown;
  query: SessionsQuery;
  noticeRef: Ref<HTMLDivElement>;
}) {
  const pollError = listError ? describeError(listError) : null;
  return (
    <>
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
    </>
  );
}
