'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { newRequestKey } from '@/lib/actions/request-key';
import type { JobTarget } from '@/lib/jobs/inputs';
import type { JobStepUp } from '@/lib/jobs/policy';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { needsTypedConfirmation } from '@/lib/jobs/types';
import { checkReason, type ActionResult, plural } from '@/lib/vocabulary';
import { Dialog } from '@/components/ui/dialog';
import { Button } from '@/components/ui/button';
import { Alert } from '@/components/ui/alert';
import { TextAreaField, TextField } from '@/components/ui/text-field';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { UpstreamText } from '@/components/ui/upstream-text';
import { paths } from '@/lib/paths';

export interface DryRunResult {
  sessions: number;
  users: number;
  sample: { sessionId: string; userId: string | null }[];
  plan: string;
  stepUp?: JobStepUp;
}

export interface JobDialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  target: JobTarget;
  subjectLabel: string | null;
  noun: string;
  dryRun(input: { target: JobTarget }): Promise<ActionResult<DryRunResult>>;
  createJob(input: {
    target: JobTarget;
    reason: string;
    idempotencyKey: string;
    plan: string;
    confirmCount?: number;
    password?: string;
  }): Promise<ActionResult<{ jobId: string }>>;
  ssoStepUp?: (input: { callbackUrl?: string }) => Promise<unknown>;
  fallbackFocus?: () => HTMLElement | null | undefined;
}

export function JobDialog(props: JobDialogProps) {
  const [starting, setStarting] = useState(false);
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      dismissible={!starting}
      fallbackFocus={props.fallbackFocus}
      title={props.title}
    >
      {props.open ? <JobFlow {...props} onStartingChange={setStarting} /> : null}
    </Dialog>
  );
}

type Phase =
  | { name: 'loading' }
  | { name: 'load_failed'; message: string; traceId: string | null }
  | { name: 'confirm'; run: DryRunResult };

function JobFlow({
  target,
  subjectLabel,
  noun,
  dryRun,
  createJob,
  ssoStepUp,
  onOpenChange,
  onStartingChange,
}: JobDialogProps & { onStartingChange(v: boolean): void }) {
  const router = useRouter();
  const [phase, setPhase] = useState<Phase>({ name: 'loading' });
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<{
    reason?: string;
    confirm?: string;
    password?: string;
    form?: string;
    traceId?: string | null;
  }>({});
  const [busy, setBusy] = useState(false);
  // One key per opened dialog: a double click or a retried request starts one job, not two.
  const [idempotencyKey] = useState(newRequestKey);
  const reasonRef = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    let live = true;
    dryRun({ target }).then(
      (r) => {
        if (!live) return;
        if (r.ok) setPhase({ name: 'confirm', run: r.data });
        else setPhase({ name: 'load_failed', message: r.message, traceId: r.traceId ?? null });
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
  }, [target, dryRun]);

  useEffect(() => {
    if (phase.name === 'confirm') reasonRef.current?.focus();
  }, [phase.name]);

  if (phase.name === 'loading')
    return (
      <p role="status" className="text-sm">
        Counting sessions…
      </p>
    );
  if (phase.name === 'load_failed')
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

  const { run } = phase;
  if (run.sessions === 0)
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

  const typedNeeded = needsTypedConfirmation(run.sessions, run.users);
  const stepUp = run.stepUp ?? null;

  async function start(e: FormEvent) {
    e.preventDefault();
    const next: typeof errors = {};
    const parsed = checkReason(reason);
    if (!parsed.ok) next.reason = parsed.message;
    const count = Number(typed.replace(/[,\s]/g, ''));
    if (typedNeeded && count !== run.sessions) next.confirm = `Type ${run.sessions} to confirm.`;
    setErrors(next);
    if (next.reason || next.confirm || !parsed.ok) return;
    setBusy(true);
    onStartingChange(true);
    const typedPassword = password;
    setPassword('');
    try {
      const r = await createJob({
        target,
        reason: parsed.reason,
        idempotencyKey,
        plan: run.plan,
        ...(typedNeeded ? { confirmCount: count } : {}),
        ...(stepUp?.kind === 'password' ? { password: typedPassword } : {}),
      });
      if (r.ok) {
        router.push(paths.job(r.data.jobId));
        return;
      }
      setErrors({
        form: r.message,
        traceId: r.traceId ?? null,
        ...(r.fieldErrors?.confirmCount ? { confirm: r.fieldErrors.confirmCount[0] } : {}),
        ...(r.fieldErrors?.reason ? { reason: r.fieldErrors.reason[0] } : {}),
        ...(r.fieldErrors?.password ? { password: r.fieldErrors.password[0] } : {}),
      });
    } catch {
      setErrors({ form: 'The console could not be reached. Try again.' });
    } finally {
      setBusy(false);
      onStartingChange(false);
    }
  }

  return (
    <form onSubmit={start} noValidate className="space-y-4">
      <p className="text-base font-semibold" data-testid="bulk-question">
        Revoke {plural(run.sessions, noun)}
        {subjectLabel ? (
          <>
            {' '}
            of <UpstreamText value={subjectLabel} inline max={80} />
          </>
        ) : run.users > 1 ? (
          <> of {plural(run.users, 'user')}</>
        ) : null}
        ?
      </p>
      <div className="text-sm text-gray-700 dark:text-gray-300">
        <p>
          The console revokes them in a job on the server: it carries on if you close this tab, and every
          session&apos;s outcome is recorded with your reason.
        </p>
        {run.sample.length ? (
          <>
            <p className="mt-2">First sessions:</p>
            <ul aria-label="First sessions" className="mt-1 font-mono text-xs">
              {run.sample.map((s) => (
                <li key={s.sessionId}>{s.sessionId}</li>
              ))}
            </ul>
          </>
        ) : null}
      </div>
      <TextAreaField
        label="Reason"
        name="reason"
        required
        maxLength={500}
        ref={reasonRef}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          if (errors.reason) setErrors({ ...errors, reason: undefined });
        }}
        error={errors.reason ?? null}
        hint="Recorded in the audit log, e.g. the ticket number."
      />
      {typedNeeded ? (
        <TextField
          label={`Type ${run.sessions} to confirm`}
          name="confirmCount"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            if (errors.confirm) setErrors({ ...errors, confirm: undefined });
          }}
          error={errors.confirm ?? null}
        />
      ) : null}
      {stepUp?.kind === 'password' ? (
        <StepUpPasswordField
          value={password}
          onChange={(value) => {
            setPassword(value);
            if (errors.password) setErrors({ ...errors, password: undefined });
          }}
          hint="A job this large asks for your console password again."
          error={errors.password ?? null}
        />
      ) : stepUp?.kind === 'sso' ? (
        ssoStepUp ? (
          <SsoStepUpButton fresh={stepUp.fresh} action={ssoStepUp} />
        ) : stepUp.fresh ? null : (
          <p className="text-sm">
            A job this large needs a single sign-on re-authentication from the last 5 minutes: none was found.
          </p>
        )
      ) : null}
      {errors.form ? (
        <Alert tone="error" traceId={errors.traceId ?? null}>
          {errors.form}
        </Alert>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={() => onOpenChange(false)} disabled={busy}>
          Cancel
        </Button>
        <Button type="submit" variant="danger" disabled={busy}>
          {busy ? 'Starting…' : `Revoke ${plural(run.sessions, 'session')}`}
        </Button>
      </div>
    </form>
  );
}
