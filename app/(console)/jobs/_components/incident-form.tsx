'use client';

import { useState, type FormEvent } from 'react';
import {
  INCIDENT_ACTION_LABELS,
  INCIDENT_ACTIONS,
  INCIDENT_COUNT_MAX_USERS,
  MAX_INCIDENT_BYTES,
  type IncidentAction,
} from '@/lib/jobs/types';
import {
  approvalActionsOf,
  approvalFor,
  confirmationForAction,
  type ApprovalRules,
  type JobStepUp,
} from '@/lib/jobs/policy';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { plural } from '@/lib/vocabulary';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextAreaField } from '@/components/ui/text-field';
import { CONSOLE_UNREACHABLE } from '@/components/forms/use-console-action';
import { StartJobForm } from '@/components/jobs/start-job-form';
import { createJobAction } from '../actions';
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

export function IncidentForm({ approvals }: { approvals: ApprovalRules }) {
  const [text, setText] = useState('');
  const [resolution, setResolution] = useState<Resolution | null>(null);
  const [stepUp, setStepUp] = useState<{ signOut: JobStepUp; contain: JobStepUp }>({
    signOut: null,
    contain: null,
  });
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<{ message: string; traceId: string | null } | null>(null);
  const [busy, setBusy] = useState(false);

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
      setStepUp({ signOut: answer.stepUp, contain: answer.containStepUp });
    } catch (err) {
      setError(
        err instanceof IncidentLookupError
          ? { message: err.message, traceId: err.traceId }
          : { message: CONSOLE_UNREACHABLE, traceId: null },
      );
    } finally {
      setProgress(null);
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
          {resolution.plan && resolution.found.length ? (
            <StartForm
              resolution={resolution}
              stepUp={stepUp.signOut}
              containStepUp={stepUp.contain}
              approvals={approvals}
            />
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

const ACTION_HINT: Record<IncidentAction, string> = {
  sign_out: 'Revokes every active session of each user, one request per session.',
  password_compromised:
    'Flags each password and signs the user out everywhere in one request per user; the next sign-in must reset the password.',
  lock: 'Locks each account (one request per user): every sign-in is refused until the lockout ends or someone unlocks it.',
  ban: 'Bans the users, 50 per request: every session is revoked and every sign-in refused until an admin unbans them.',
};

function StartForm({
  resolution,
  stepUp,
  containStepUp,
  approvals,
}: {
  resolution: Resolution;
  stepUp: JobStepUp;
  containStepUp: JobStepUp;
  approvals: ApprovalRules;
}) {
  const [action, setAction] = useState<IncidentAction>('sign_out');
  const userIds = [...new Set(resolution.found.map((f) => f.userId))];
  const confirm = confirmationForAction(action, resolution.counts);
  // The page is for administrators only: each may break glass. The server decides again at the start.
  const need = approvalFor(approvals, { ...resolution.counts, actions: approvalActionsOf({ action }) });
  const counted = resolution.activeSessions !== null;
  const users = plural(resolution.users, 'user');
  const label =
    action === 'sign_out'
      ? counted
        ? `Sign out ${plural(resolution.activeSessions!, 'session')}`
        : `Sign out every session of ${users}`
      : action === 'ban'
        ? `Ban ${users}`
        : action === 'lock'
          ? `Lock ${users}`
          : `Mark the passwords of ${users} compromised`;
  return (
    <StartJobForm
      key={action}
      start={createJobAction}
      target={{ kind: 'users', userIds }}
      plan={resolution.plan!}
      action={action}
      confirm={confirm}
      stepUp={action === 'sign_out' && need.approval === 'not_required' ? stepUp : containStepUp}
      approval={{ approval: need.approval, approvalWhy: need.why, breakGlass: true }}
      ssoStepUp={stepUpWithSsoAction}
      stepUpHint="Acting on a list of users asks for your console password again."
      submitLabel={label}
    >
      <fieldset className="space-y-2" data-testid="incident-action">
        <legend className="text-sm font-semibold">What to do to every user found</legend>
        {INCIDENT_ACTIONS.map((a) => (
          <div key={a} className="text-sm">
            <label className="flex items-start gap-2">
              <input
                type="radio"
                name="action"
                value={a}
                checked={action === a}
                onChange={() => setAction(a)}
                aria-describedby={`action-${a}-hint`}
                className="mt-1"
              />
              <span className="font-medium">{INCIDENT_ACTION_LABELS[a]}</span>
            </label>
            {/* Outside the label: the hints name passwords, and the step-up field is found by its label. */}
            <p id={`action-${a}-hint`} className="ml-6 text-xs text-gray-600 dark:text-gray-400">
              {ACTION_HINT[a]}
            </p>
          </div>
        ))}
      </fieldset>
      {!counted && action === 'sign_out' ? (
        <p className="text-xs text-gray-600 dark:text-gray-400">
          More than {INCIDENT_COUNT_MAX_USERS} users are not counted first (one request each); the job counts
          their sessions as it goes and shows the total.
        </p>
      ) : null}
    </StartJobForm>
  );
}
