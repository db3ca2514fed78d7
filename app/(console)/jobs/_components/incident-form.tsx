'use client';

import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import { confirmationFor, INCIDENT_COUNT_MAX_USERS, MAX_INCIDENT_BYTES } from '@/lib/jobs/types';
import type { JobStepUp } from '@/lib/jobs/policy';
import { newRequestKey } from '@/lib/actions/request-key';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { checkReason, plural } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField, TextField } from '@/components/ui/text-field';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { createJobAction } from '../actions';
import { paths } from '@/lib/paths';
import { IncidentLookupError, lookUpIncidentList, type IncidentAnswer } from './incident-lookup';

type Resolution = IncidentAnswer['result'];

const SHOWN = 200;

const WHY: Record<Resolution['notFound'][number]['why'], string> = {
  not_found: 'no such user',
  not_an_identifier: 'not an email address or user id',
  unverified: 'only on an account that never verified it: not matched',
  ambiguous: 'ambiguous: verified on more than one account, not matched (use the user id)',
};

const TOO_LARGE = `The list is too long: ${MAX_INCIDENT_BYTES / 1024 / 1024} MB at most. Split it and start one job per part.`;

function lineCount(text: string): number {
  return text.split(/\r\n|\n|\r/).filter((l) => l.trim()).length;
}

export function IncidentForm() {
  const router = useRouter();
  const [text, setText] = useState('');
  const [resolution, setResolution] = useState<Resolution | null>(null);
  const [stepUp, setStepUp] = useState<JobStepUp>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<{ message: string; traceId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reason, setReason] = useState('');
  const [typed, setTyped] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ reason?: string; confirm?: string; password?: string }>(
    {},
  );
  const [idempotencyKey] = useState(newRequestKey);

  async function lookUp(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResolution(null);
    if (new Blob([text]).size > MAX_INCIDENT_BYTES) {
      setError({ message: TOO_LARGE, traceId: null });
      return;
    }
    setBusy(true);
    setProgress(`Sending ${lineCount(text).toLocaleString('en-US')} lines…`);
    try {
      const answer = await lookUpIncidentList(text, setProgress);
      setResolution(answer.result);
      setStepUp(answer.stepUp);
    } catch (err) {
      setError(
        err instanceof IncidentLookupError
          ? { message: err.message, traceId: err.traceId }
          : { message: 'The console could not be reached. Try again.', traceId: null },
      );
    } finally {
      setProgress(null);
      setBusy(false);
    }
  }

  async function start(e: FormEvent) {
    e.preventDefault();
    if (!resolution?.plan) return;
    const userIds = [...new Set(resolution.found.map((f) => f.userId))];
    const parsed = checkReason(reason);
    const count = Number(typed.replace(/[,\s]/g, ''));
    const confirm = confirmationFor(resolution.counts);
    const next = {
      reason: parsed.ok ? undefined : parsed.message,
      confirm: confirm && count !== confirm.count ? `Type ${confirm.count} to confirm.` : undefined,
    };
    setFieldErrors(next);
    if (next.reason || next.confirm || !parsed.ok) return;
    setBusy(true);
    const typedPassword = password;
    setPassword('');
    try {
      const r = await createJobAction({
        target: { kind: 'users', userIds },
        reason: parsed.reason,
        idempotencyKey,
        plan: resolution.plan,
        ...(confirm ? { confirmCount: count } : {}),
        ...(stepUp?.kind === 'password' ? { password: typedPassword } : {}),
      });
      if (r.ok) {
        router.push(paths.job(r.data.jobId));
        return;
      }
      setFieldErrors({ password: r.fieldErrors?.password?.[0], confirm: r.fieldErrors?.confirmCount?.[0] });
      setError({ message: r.message, traceId: r.traceId ?? null });
    } catch {
      setError({ message: 'The console could not be reached. Try again.', traceId: null });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-6">
      <form onSubmit={lookUp} className="space-y-3" noValidate>
        <TextAreaField
          label="Emails or user ids"
          name="text"
          rows={8}
          value={text}
          onChange={(e) => setText(e.target.value)}
          hint="One per line, up to 10,000 (2 MB). Or upload a CSV whose first column holds them."
        />
        <label className="block text-sm">
          <span className="font-medium">Upload a CSV</span>
          <input
            type="file"
            accept=".csv,text/csv,text/plain"
            className="mt-1 block text-sm text-gray-700 file:mr-3 file:cursor-pointer file:rounded-md file:border file:border-gray-300 file:bg-white file:px-3 file:py-1.5 file:text-sm file:font-semibold file:text-gray-900 hover:file:bg-gray-50 dark:text-gray-300 dark:file:border-gray-700 dark:file:bg-gray-900 dark:file:text-gray-100 dark:hover:file:bg-gray-800"
            onChange={async (e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              if (file.size > MAX_INCIDENT_BYTES) {
                setError({ message: TOO_LARGE, traceId: null });
                return;
              }
              setError(null);
              setText(await file.text());
            }}
          />
        </label>
        <Button type="submit" variant="primary" disabled={busy || !text.trim()}>
          {busy && !resolution ? 'Looking up…' : 'Look up users'}
        </Button>
      </form>

      {progress ? (
        <p role="status" aria-live="polite" className="text-sm" data-testid="incident-progress">
          {progress}
        </p>
      ) : null}

      {error ? (
        <Alert tone="error" traceId={error.traceId}>
          {error.message}
        </Alert>
      ) : null}

      {resolution ? (
        <section aria-labelledby="resolution-heading" className="space-y-4">
          <h2 id="resolution-heading" className="text-base font-semibold" data-testid="incident-summary">
            {resolution.found.length.toLocaleString('en-US')} found,{' '}
            {resolution.notFound.length.toLocaleString('en-US')} not found,{' '}
            {resolution.activeSessions === null
              ? 'active sessions counted as the job runs'
              : plural(resolution.activeSessions, 'active session')}
            {resolution.duplicates ? ` (${plural(resolution.duplicates, 'duplicate line')} ignored)` : ''}
          </h2>
          {resolution.notFound.length ? (
            <div>
              <h3 className="text-sm font-semibold">Not found</h3>
              <ul aria-label="Not found" className="mt-1 max-h-48 overflow-y-auto font-mono text-xs">
                {resolution.notFound.map((n) => (
                  <li key={n.input}>
                    {n.input} — {WHY[n.why]}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {resolution.found.length ? (
            <div>
              <h3 className="text-sm font-semibold">Found</h3>
              <ul aria-label="Found" className="mt-1 max-h-48 overflow-y-auto text-xs">
                {resolution.found.slice(0, SHOWN).map((f) => (
                  <li key={f.input}>
                    <span className="font-mono">{f.input}</span> → {f.name}
                    {f.activeSessions === null ? null : ` (${f.activeSessions} active)`}
                  </li>
                ))}
              </ul>
              {resolution.found.length > SHOWN ? (
                <p className="text-xs">…and {resolution.found.length - SHOWN} more.</p>
              ) : null}
            </div>
          ) : null}
          {resolution.plan && (resolution.activeSessions === null || resolution.activeSessions > 0) ? (
            <StartForm
              resolution={resolution}
              onSubmit={start}
              busy={busy}
              reason={reason}
              setReason={setReason}
              typed={typed}
              setTyped={setTyped}
              stepUp={stepUp}
              password={password}
              setPassword={setPassword}
              fieldErrors={fieldErrors}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

function StartForm({
  resolution,
  onSubmit,
  busy,
  reason,
  setReason,
  typed,
  setTyped,
  stepUp,
  password,
  setPassword,
  fieldErrors,
}: {
  resolution: Resolution;
  onSubmit: (e: FormEvent) => void;
  busy: boolean;
  reason: string;
  setReason: (v: string) => void;
  typed: string;
  setTyped: (v: string) => void;
  stepUp: JobStepUp;
  password: string;
  setPassword: (v: string) => void;
  fieldErrors: { reason?: string; confirm?: string; password?: string };
}) {
  const confirm = confirmationFor(resolution.counts);
  const counted = resolution.activeSessions !== null;
  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate>
      <TextAreaField
        label="Reason"
        name="reason"
        maxLength={500}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={fieldErrors.reason ?? null}
        hint="Recorded with every revoke in the audit log."
      />
      {confirm ? (
        <TextField
          label={`Type ${confirm.count} to confirm`}
          name="confirmCount"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          error={fieldErrors.confirm ?? null}
          hint={
            counted
              ? undefined
              : `The number of users. More than ${INCIDENT_COUNT_MAX_USERS} users are not counted first (one request each); the job counts their sessions as it goes and shows the total.`
          }
        />
      ) : null}
      {stepUp?.kind === 'password' ? (
        <StepUpPasswordField
          value={password}
          onChange={setPassword}
          hint="Signing out several users asks for your console password again."
          error={fieldErrors.password ?? null}
        />
      ) : stepUp?.kind === 'sso' ? (
        <SsoStepUpButton fresh={stepUp.fresh} action={stepUpWithSsoAction} />
      ) : null}
      <Button type="submit" variant="danger" disabled={busy}>
        {counted
          ? `Sign out ${plural(resolution.activeSessions!, 'session')}`
          : `Sign out every session of ${plural(resolution.users, 'user')}`}
      </Button>
    </form>
  );
}
