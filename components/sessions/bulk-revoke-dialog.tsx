'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { ActionResult } from '@/lib/actions/action-state';
import { newRequestKey } from '@/lib/actions/request-key';
import type { RevokeOutcome } from '@/lib/sessions/bulk-revoke';
import { checkReason, MAX_BULK } from '@/lib/vocabulary';
import { Dialog } from '@/components/ui/dialog';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress-bar';
import { TextAreaField } from '@/components/ui/text-field';
import { UpstreamText } from '@/components/ui/upstream-text';
import { BULK_BATCH_SIZE, newBatchId, runBulkRevoke, summarize, type BulkOutcome } from './bulk-runner';

export type BulkScope =
  | { kind: 'all'; userId: string }
  | { kind: 'selected'; sessionIds: string[]; userId?: string };

export interface BulkRevokeDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  scope: BulkScope;
  /** Whose sessions these are ("Ada Lovelace"), when one user owns them all. */
  subjectLabel: string | null;
  loadActiveIds(input: { userId: string }): Promise<ActionResult<{ sessionIds: string[] }>>;
  revokeBatch(input: {
    sessionIds: string[];
    reason: string;
    userId?: string;
    batchId: string;
    idempotencyKey: string;
  }): Promise<ActionResult<{ outcomes: RevokeOutcome[] }>>;
  /** After each batch (e.g. to mark rows revoked at once). */
  onProgress?(outcomes: readonly BulkOutcome[]): void;
  /** When the run ends, cancelled or not (e.g. to refetch the list). */
  onFinished?(outcomes: readonly BulkOutcome[]): void;
  /** Where focus goes on close if the button that opened the dialog is gone. */
  fallbackFocus?: () => HTMLElement | null | undefined;
}

export const OUTCOME_LABELS: Record<BulkOutcome['outcome'], string> = {
  revoked: 'Revoked',
  already_inactive: 'Already inactive',
  not_found: 'Not found',
  failed: 'Failed',
  unknown: 'Outcome unknown',
  skipped: 'Not attempted',
};

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/**
 * "Sign out everywhere" and "Revoke selected": states the count and asks for a reason (the second
 * confirmation), then revokes in batches of 10 under one batch id, with a progress bar, per-session outcomes
 * and a Cancel that stops after the batch in flight.
 */
export function BulkRevokeDialog(props: BulkRevokeDialogProps) {
  const [running, setRunning] = useState(false);
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      dismissible={!running}
      fallbackFocus={props.fallbackFocus}
      title={props.scope.kind === 'all' ? 'Sign out everywhere' : 'Revoke selected sessions'}
    >
      {props.open ? <BulkRevokeFlow {...props} onRunningChange={setRunning} /> : null}
    </Dialog>
  );
}

type Phase =
  | { name: 'loading' }
  | { name: 'load_failed'; message: string; traceId: string | null }
  | { name: 'confirm' }
  | { name: 'running' }
  | { name: 'done'; cancelled: boolean; stoppedBy: { message: string; traceId: string | null } | null };

function BulkRevokeFlow({
  scope,
  subjectLabel,
  loadActiveIds,
  revokeBatch,
  onProgress,
  onFinished,
  onOpenChange,
  onRunningChange,
}: BulkRevokeDialogProps & { onRunningChange(running: boolean): void }) {
  const [phase, setPhase] = useState<Phase>(scope.kind === 'all' ? { name: 'loading' } : { name: 'confirm' });
  const [ids, setIds] = useState<string[]>(scope.kind === 'selected' ? scope.sessionIds : []);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [outcomes, setOutcomes] = useState<readonly BulkOutcome[]>([]);
  const [cancelRequested, setCancelRequested] = useState(false);
  const cancelRef = useRef(false);
  // One key per confirmed dialog; batch n sends `<key>-b<n>`, so a repeated batch is answered, not redone.
  const [requestKey] = useState(newRequestKey);
  const startedRef = useRef(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const lastPhase = useRef(phase.name);
  const userId = scope.userId;

  useEffect(() => {
    if (scope.kind !== 'all') return;
    let live = true;
    loadActiveIds({ userId: scope.userId }).then(
      (r) => {
        if (!live) return;
        if (r.ok) {
          setIds(r.data.sessionIds);
          setPhase({ name: 'confirm' });
        } else setPhase({ name: 'load_failed', message: r.message, traceId: r.traceId ?? null });
      },
      () =>
        live &&
        setPhase({
          name: 'load_failed',
          message: 'The console could not be reached. Try again.',
          traceId: null,
        }),
    );
    return () => {
      live = false;
    };
  }, [scope, loadActiveIds]);

  // When the count arrives after the dialog opened, move focus to the reason. Not on first render: Radix must
  // see focus outside the dialog then, to know where to return it on close (so no autoFocus either).
  useEffect(() => {
    if (lastPhase.current !== phase.name && phase.name === 'confirm') reasonRef.current?.focus();
    lastPhase.current = phase.name;
  }, [phase.name]);

  async function start(e: FormEvent) {
    e.preventDefault();
    const checked = checkReason(reason);
    if (!checked.ok) {
      setReasonError(checked.message);
      return;
    }
    if (startedRef.current) return;
    startedRef.current = true;
    const batchId = newBatchId();
    let batch = 0;
    cancelRef.current = false;
    setPhase({ name: 'running' });
    onRunningChange(true);
    try {
      const result = await runBulkRevoke({
        sessionIds: ids,
        batchSize: Math.min(BULK_BATCH_SIZE, MAX_BULK),
        isCancelled: () => cancelRef.current,
        revokeBatch: (sessionIds) =>
          revokeBatch({
            sessionIds,
            reason: checked.reason,
            batchId,
            idempotencyKey: `${requestKey}-b${batch++}`,
            ...(userId ? { userId } : {}),
          }),
        onProgress: (o) => {
          setOutcomes([...o]);
          onProgress?.(o);
        },
      });
      setOutcomes(result.outcomes);
      setPhase({ name: 'done', cancelled: result.cancelled, stoppedBy: result.stoppedBy });
      onFinished?.(result.outcomes);
    } finally {
      onRunningChange(false);
    }
  }

  if (phase.name === 'loading') {
    return (
      <p role="status" className="text-sm">
        Counting active sessions…
      </p>
    );
  }
  if (phase.name === 'load_failed') {
    return (
      <div className="space-y-4">
        <Alert tone="error" traceId={phase.traceId}>
          {phase.message}
        </Alert>
        <div className="flex justify-end">
          <Button onClick={() => onOpenChange(false)}>Close</Button>
        </div>
      </div>
    );
  }
  const total = ids.length;
  const question = (
    <>
      Revoke {plural(total, scope.kind === 'all' ? 'active session' : 'selected session')}
      {subjectLabel ? (
        <>
          {' '}
          of <UpstreamText value={subjectLabel} inline max={80} />
        </>
      ) : null}
      ?
    </>
  );

  if (phase.name === 'confirm') {
    if (total === 0) {
      return (
        <div className="space-y-4">
          <p role="status" className="text-sm">
            There are no active sessions to revoke.
          </p>
          <div className="flex justify-end">
            <Button onClick={() => onOpenChange(false)}>Close</Button>
          </div>
        </div>
      );
    }
    return (
      <form onSubmit={start} noValidate className="space-y-4">
        <p className="text-base font-semibold" data-testid="bulk-question">
          {question}
        </p>
        <p className="text-sm text-gray-700 dark:text-gray-300">
          Each session is signed out at once and recorded in the audit log with your reason. Sessions are
          revoked {BULK_BATCH_SIZE} at a time; you can stop between batches.
        </p>
        <TextAreaField
          label="Reason"
          name="reason"
          required
          maxLength={500}
          ref={reasonRef}
          value={reason}
          onChange={(e) => {
            setReason(e.target.value);
            if (reasonError) setReasonError(null);
          }}
          error={reasonError}
          hint="Recorded in the audit log, e.g. the ticket number."
        />
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="danger">
            Revoke {plural(total, 'session')}
          </Button>
        </div>
      </form>
    );
  }

  const counts = summarize(outcomes);
  const processed = outcomes.filter((o) => o.outcome !== 'skipped').length;
  const done = phase.name === 'done';
  return (
    <div className="space-y-4">
      <p className="text-base font-semibold">{question}</p>
      <ProgressBar label="Revoke progress" value={processed} max={total} />
      <p role="status" aria-live="polite" className="text-sm">
        {done
          ? `${phase.cancelled ? 'Cancelled. ' : phase.stoppedBy ? 'Stopped. ' : 'Done. '}${counts.revoked} of ${plural(total, 'session')} revoked${
              counts.already_inactive ? `, ${counts.already_inactive} already inactive` : ''
            }${counts.failed + counts.not_found ? `, ${counts.failed + counts.not_found} failed` : ''}${counts.unknown ? `, ${counts.unknown} unknown` : ''}${
              counts.skipped ? `, ${counts.skipped} not attempted` : ''
            }.`
          : `${processed} of ${total} processed, ${counts.revoked} revoked…`}
      </p>
      {done && phase.stoppedBy ? (
        <Alert tone="error" traceId={phase.stoppedBy.traceId}>
          {phase.stoppedBy.message}
        </Alert>
      ) : null}
      <OutcomeList outcomes={outcomes} />
      <div className="flex flex-wrap justify-end gap-2">
        {done ? (
          <Button variant="primary" onClick={() => onOpenChange(false)} autoFocus>
            Close
          </Button>
        ) : (
          <Button
            disabled={cancelRequested}
            onClick={() => {
              cancelRef.current = true;
              setCancelRequested(true);
            }}
          >
            {cancelRequested ? 'Stopping after this batch…' : 'Cancel'}
          </Button>
        )}
      </div>
    </div>
  );
}

const SHOWN = 200;

function OutcomeList({ outcomes }: { outcomes: readonly BulkOutcome[] }) {
  if (!outcomes.length) return null;
  // Problems first: with thousands of sessions, the ones that need attention must not scroll away.
  const sorted = [...outcomes].sort(
    (a, b) => Number(a.outcome === 'revoked') - Number(b.outcome === 'revoked'),
  );
  return (
    <div className="max-h-64 overflow-y-auto rounded-md border border-gray-200 dark:border-gray-800">
      <ul aria-label="Outcomes" className="divide-y divide-gray-100 text-sm dark:divide-gray-800">
        {sorted.slice(0, SHOWN).map((o) => (
          <li
            key={o.sessionId}
            className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 px-3 py-1.5"
            data-outcome={o.outcome}
          >
            <span className="font-mono text-xs">{o.sessionId}</span>
            <span
              className={
                o.outcome === 'revoked'
                  ? 'text-green-800 dark:text-green-300'
                  : o.outcome === 'already_inactive'
                    ? ''
                    : 'font-semibold text-red-800 dark:text-red-300'
              }
            >
              {OUTCOME_LABELS[o.outcome]}
            </span>
            {o.outcome !== 'revoked' ? (
              <span className="w-full text-xs text-gray-700 dark:text-gray-300">
                {o.message}
                {o.traceId ? (
                  <>
                    {' '}
                    Trace id: <code className="font-mono">{o.traceId}</code>
                  </>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {sorted.length > SHOWN ? (
        <p className="px-3 py-1.5 text-xs text-gray-600 dark:text-gray-400">
          …and {sorted.length - SHOWN} more.
        </p>
      ) : null}
    </div>
  );
}
