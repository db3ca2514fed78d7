'use client';

import { useState, type FormEvent } from 'react';
import { useRouter } from 'next/navigation';
import {
  ApprovalGate,
  approvalNoteOf,
  approvalSubmitLabel,
  startedPath,
} from '@/components/approvals/approval-gate';
import type { StartAnswer } from '@/lib/approvals/types';
import type { ApprovalNote } from '@/lib/jobs/policy';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useReasonForm } from '@/components/forms/use-reason-form';
import { noticePayload, TELL_USER_OFF, TellUserField } from '@/components/forms/tell-user-field';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { UpstreamText } from '@/components/ui/upstream-text';
import type { ActionResult } from '@/lib/vocabulary';
import { mergeCounts, previewStep, type SecureCounts, type SecureDryRun } from '@/lib/account/preview';
import { canTakeStep, defaultSteps, SECURE_STEPS, STEP_INFO, type SecureStep } from '@/lib/account/steps';
import type { Role } from '@/lib/vocabulary';
import { SecureAccountClosing } from './secure-account-closing';

export type DryRunSecureAccount = (input: {
  userId: string;
  steps: SecureStep[];
}) => Promise<ActionResult<SecureRun>>;
type SecureRun = SecureDryRun & Partial<ApprovalNote>;
export type StartSecureAccount = (input: {
  plan: string;
  reason: string;
  reasonCode: string;
  ticket?: string;
  notify?: { message: string };
  stepUpPassword?: string;
  breakGlass?: boolean;
  emergencyReason?: string;
}) => Promise<ActionResult<StartAnswer>>;

export interface SecureAccountProps {
  userId: string;
  userLabel: string;
  role: Role;
  /** The account as the page read it: what stays open for steps not chosen. */
  known: SecureCounts | null;
  dryRun: DryRunSecureAccount;
  start: StartSecureAccount;
  ssoStepUp?: (input: { callbackUrl?: string }) => Promise<unknown>;
}

type Phase =
  | { name: 'choose' }
  | { name: 'preview'; steps: SecureStep[]; run: SecureRun | null; error: ActionResult<never> | null }
  | { name: 'started'; steps: SecureStep[]; jobId: string; counts: SecureCounts };

export function SecureAccountDialog(
  props: SecureAccountProps & { open: boolean; onOpenChange(open: boolean): void; onStarted?(): void },
) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog
      open={props.open}
      onOpenChange={props.onOpenChange}
      dismissible={!busy}
      title="Secure this account"
      className="max-w-2xl"
      description={
        <>
          Contain <UpstreamText value={props.userLabel} inline max={80} className="font-semibold" /> in one
          job: every step is audited with your reason and Clerk&apos;s trace id.
        </>
      }
    >
      {props.open ? <SecureFlow {...props} onBusy={setBusy} /> : null}
    </Dialog>
  );
}

function SecureFlow({
  userId,
  role,
  known,
  dryRun,
  start,
  ssoStepUp,
  onOpenChange,
  onBusy,
  onStarted,
}: SecureAccountProps & {
  onOpenChange(open: boolean): void;
  onBusy(busy: boolean): void;
  onStarted?(): void;
}) {
  const [chosen, setChosen] = useState<SecureStep[]>(() => defaultSteps(role));
  const [phase, setPhase] = useState<Phase>({ name: 'choose' });
  const preview = useConsoleAction(dryRun);
  const starting = useConsoleAction(start, { requestKey: true, omit: ['stepUpPassword'] });
  const form = useReasonForm();
  const { extras } = form;
  const [tell, setTell] = useState(TELL_USER_OFF);
  const [password, setPassword] = useState('');
  const [glass, setGlass] = useState(false);
  const [emergency, setEmergency] = useState('');
  const router = useRouter();

  if (phase.name === 'started')
    return (
      <div className="space-y-4">
        <SecureAccountClosing jobId={phase.jobId} userId={userId} steps={phase.steps} counts={phase.counts} />
        <div className="flex justify-end">
          <Button onClick={() => onOpenChange(false)}>Close</Button>
        </div>
      </div>
    );

  function toggle(step: SecureStep, on: boolean) {
    setChosen((c) =>
      on ? SECURE_STEPS.filter((s) => s === step || c.includes(s)) : c.filter((s) => s !== step),
    );
  }

  async function countChanges(e: FormEvent) {
    e.preventDefault();
    const steps = SECURE_STEPS.filter((s) => chosen.includes(s));
    setPhase({ name: 'preview', steps, run: null, error: null });
    const r = await preview.run({ userId, steps });
    setPhase({ name: 'preview', steps, run: r.ok ? r.data : null, error: r.ok ? null : r });
  }

  if (phase.name === 'choose')
    return (
      <form onSubmit={countChanges} noValidate className="space-y-4">
        <fieldset className="space-y-2">
          <legend className="text-sm font-semibold">Steps</legend>
          {SECURE_STEPS.map((step) => {
            const info = STEP_INFO[step];
            const allowed = canTakeStep(role, step);
            const id = `secure-step-${step}`;
            return (
              <div key={step} className="flex items-start gap-2 text-sm">
                <input
                  id={id}
                  type="checkbox"
                  className="mt-1"
                  disabled={!allowed}
                  checked={allowed && chosen.includes(step)}
                  onChange={(e) => toggle(step, e.target.checked)}
                  aria-describedby={`${id}-does`}
                />
                <div>
                  <label htmlFor={id} className={allowed ? 'font-medium' : 'font-medium opacity-60'}>
                    {info.label}
                  </label>{' '}
                  <span className="text-xs text-gray-600 dark:text-gray-400">
                    {allowed ? `· ${info.who}` : '· admin only'}
                  </span>
                  <p id={`${id}-does`} className="text-gray-700 dark:text-gray-300">
                    {info.does}
                  </p>
                </div>
              </div>
            );
          })}
        </fieldset>
        <div className="flex flex-wrap justify-end gap-2">
          <Button onClick={() => onOpenChange(false)}>Cancel</Button>
          <Button type="submit" variant="primary" disabled={!chosen.length}>
            Count what will change
          </Button>
        </div>
      </form>
    );

  const { steps, run, error } = phase;

  async function secure(e: FormEvent) {
    e.preventDefault();
    if (!run) return;
    const sent = form.ready();
    if (!sent) return;
    onBusy(true);
    const typed = password;
    setPassword('');
    const r = await starting.run({
      plan: run.plan,
      ...sent,
      ...noticePayload(tell, 'secure', extras.reasonCode, extras.ticket),
      ...(run.stepUp?.kind === 'password' ? { stepUpPassword: typed } : {}),
      ...(glass ? { breakGlass: true, emergencyReason: emergency } : {}),
    });
    onBusy(false);
    if (!r.ok) form.answered(r);
    else if ('approvalId' in r.data) router.push(startedPath(r.data));
    else {
      onStarted?.();
      setPhase({ name: 'started', steps, jobId: r.data.jobId, counts: mergeCounts(known, run.counts) });
    }
  }

  const failed = starting.result && !starting.result.ok ? starting.result : null;
  return (
    <form onSubmit={secure} noValidate className="space-y-4">
      {!run && !error ? (
        <p role="status" className="text-sm">
          Counting what will change…
        </p>
      ) : null}
      {error ? (
        <Alert tone="error" traceId={error.ok ? null : (error.traceId ?? null)}>
          {error.ok ? null : error.message}
        </Alert>
      ) : null}
      {run ? (
        <>
          <ul aria-label="What will change" className="space-y-1 text-sm">
            {steps.map((step) => {
              const p = previewStep(step, run.counts);
              return (
                <li key={step}>
                  <span className="font-medium">{STEP_INFO[step].label}:</span>{' '}
                  <span className={p.noop ? 'text-gray-600 dark:text-gray-400' : undefined}>{p.text}</span>
                </li>
              );
            })}
          </ul>
          <ReasonCodeFields value={extras} onChange={form.setExtras} />
          <ReasonField {...form.reasonProps} />
          <TellUserField
            value={tell}
            onChange={setTell}
            kind="secure"
            reasonCode={extras.reasonCode}
            ticket={extras.ticket}
          />
          <ApprovalGate
            note={approvalNoteOf(run)}
            glass={glass}
            onGlass={setGlass}
            emergency={emergency}
            onEmergency={setEmergency}
            error={failed?.fieldErrors?.emergencyReason?.[0] ?? null}
          />
          {run.stepUp?.kind === 'password' ? (
            <StepUpPasswordField
              value={password}
              onChange={setPassword}
              hint="Securing an account asks for your console password again."
              error={failed?.fieldErrors?.stepUpPassword?.[0] ?? failed?.fieldErrors?.password?.[0] ?? null}
            />
          ) : run.stepUp?.kind === 'sso' && ssoStepUp ? (
            <SsoStepUpButton fresh={run.stepUp.fresh} action={ssoStepUp} />
          ) : null}
          {failed && !failed.fieldErrors ? (
            <Alert tone="error" traceId={failed.traceId ?? null}>
              {failed.message}
            </Alert>
          ) : null}
        </>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        <Button onClick={() => setPhase({ name: 'choose' })} disabled={starting.pending}>
          Back
        </Button>
        <Button type="submit" variant="danger" disabled={!run || starting.pending}>
          {starting.pending
            ? 'Starting…'
            : approvalSubmitLabel(
                run?.approval ? { approval: run.approval, approvalWhy: [], breakGlass: false } : null,
                glass,
                'Secure this account',
              )}
        </Button>
      </div>
    </form>
  );
}
