'use client';

import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useRouter } from 'next/navigation';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useReasonForm } from '@/components/forms/use-reason-form';
import { noticePayload, TELL_USER_OFF, TellUserField } from '@/components/forms/tell-user-field';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import type { JobTarget } from '@/lib/jobs/inputs';
import type { ApprovalNote, JobStepUp } from '@/lib/jobs/policy';
import type { StartAnswer } from '@/lib/approvals/types';
import { ApprovalGate, approvalSubmitLabel, startedPath } from '@/components/approvals/approval-gate';
import type { IncidentAction } from '@/lib/jobs/types';
import type { ActionResult } from '@/lib/vocabulary';

export type StartJob = (input: {
  target: JobTarget;
  reason: string;
  reasonCode: string;
  ticket?: string;
  notify?: { message: string };
  plan: string;
  confirmCount?: number;
  password?: string;
  action?: IncidentAction;
  breakGlass?: boolean;
  emergencyReason?: string;
}) => Promise<ActionResult<StartAnswer>>;

export interface StartJobFormProps {
  start: StartJob;
  target: JobTarget;
  plan: string;
  action?: IncidentAction;
  confirm: { count: number; what: string } | null;
  stepUp: JobStepUp;
  approval?: ApprovalNote | null;
  ssoStepUp?: (input: { callbackUrl?: string }) => Promise<unknown>;
  submitLabel: string;
  stepUpHint: string;
  onCancel?: () => void;
  onBusy?: (busy: boolean) => void;
  focusReason?: boolean;
  children?: ReactNode;
}

type Errors = { confirm?: string; password?: string; emergency?: string };

/** The one start-a-job form (a bulk revoke's dialog, the incident page): reason, typed count, step-up, submit. */
export function StartJobForm(p: StartJobFormProps) {
  const router = useRouter();
  const { run, pending, result } = useConsoleAction(p.start, { requestKey: true, omit: ['password'] });
  const form = useReasonForm({ focusOnArrival: p.focusReason });
  const { extras } = form;
  const [tell, setTell] = useState(TELL_USER_OFF);
  const oneUser = oneUserOf(p.target);
  const [typed, setTyped] = useState('');
  const [password, setPassword] = useState('');
  const [glass, setGlass] = useState(false);
  const [emergency, setEmergency] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const { onBusy } = p;

  useEffect(() => onBusy?.(pending), [pending, onBusy]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const sent = form.ready();
    const count = Number(typed.replace(/[,\s]/g, ''));
    const next: Errors = {
      confirm: p.confirm && count !== p.confirm.count ? `Type ${p.confirm.count} to confirm.` : undefined,
    };
    setErrors(next);
    if (!sent || next.confirm) return;
    const typedPassword = password;
    setPassword('');
    const r = await run({
      target: p.target,
      ...sent,
      ...(oneUser ? noticePayload(tell, 'bulk', extras.reasonCode, extras.ticket) : {}),
      plan: p.plan,
      ...(p.action && p.action !== 'sign_out' ? { action: p.action } : {}),
      ...(p.confirm ? { confirmCount: count } : {}),
      ...(p.stepUp?.kind === 'password' ? { password: typedPassword } : {}),
      ...(glass ? { breakGlass: true, emergencyReason: emergency } : {}),
    });
    if (r.ok) {
      router.push(startedPath(r.data));
      return;
    }
    form.answered(r);
    setErrors({
      confirm: r.fieldErrors?.confirmCount?.[0],
      password: r.fieldErrors?.password?.[0],
      emergency: r.fieldErrors?.emergencyReason?.[0],
    });
  }

  const failed = result && !result.ok ? result : null;
  return (
    <form onSubmit={submit} noValidate className="space-y-4">
      {p.children}
      <ReasonCodeFields value={extras} onChange={form.setExtras} />
      <ReasonField {...form.reasonProps} />
      {oneUser ? (
        <TellUserField
          value={tell}
          onChange={setTell}
          kind="bulk"
          reasonCode={extras.reasonCode}
          ticket={extras.ticket}
        />
      ) : null}
      {p.confirm ? (
        <TextField
          label={`Type ${p.confirm.count} to confirm`}
          name="confirmCount"
          inputMode="numeric"
          autoComplete="off"
          value={typed}
          onChange={(e) => {
            setTyped(e.target.value);
            if (errors.confirm) setErrors({ ...errors, confirm: undefined });
          }}
          error={errors.confirm ?? null}
          hint={`The number of ${p.confirm.what} this job will act on.`}
        />
      ) : null}
      <ApprovalGate
        note={p.approval}
        glass={glass}
        onGlass={setGlass}
        emergency={emergency}
        onEmergency={setEmergency}
        error={errors.emergency ?? null}
      />
      {p.stepUp?.kind === 'password' ? (
        <StepUpPasswordField
          value={password}
          onChange={(value) => {
            setPassword(value);
            if (errors.password) setErrors({ ...errors, password: undefined });
          }}
          hint={p.stepUpHint}
          error={errors.password ?? null}
        />
      ) : p.stepUp?.kind === 'sso' ? (
        p.ssoStepUp ? (
          <SsoStepUpButton fresh={p.stepUp.fresh} action={p.ssoStepUp} />
        ) : p.stepUp.fresh ? null : (
          <p className="text-sm">
            This job needs a single sign-on re-authentication from the last 5 minutes: none was found.
          </p>
        )
      ) : null}
      {failed ? (
        <Alert tone="error" traceId={failed.traceId ?? null}>
          {failed.message}
        </Alert>
      ) : null}
      <div className="flex flex-wrap justify-end gap-2">
        {p.onCancel ? (
          <Button onClick={p.onCancel} disabled={pending}>
            Cancel
          </Button>
        ) : null}
        <Button type="submit" variant="danger" disabled={pending}>
          {pending ? 'Starting…' : approvalSubmitLabel(p.approval, glass, p.submitLabel)}
        </Button>
      </div>
    </form>
  );
}

// Only a job on one user's sessions offers "tell the user" (the server checks the same).
function oneUserOf(t: JobTarget): string | null {
  if (t.kind === 'user_except') return t.userId;
  if (t.kind === 'sessions') return t.userId ?? null;
  if (t.kind === 'users') return t.userIds.length === 1 ? (t.userIds[0] ?? null) : null;
  return null;
}
