'use client';

import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { createTokenAction, type MintedTokenResult } from '@/app/(console)/sessions/actions';
import type { ActionFailure } from '@/lib/vocabulary';
import type { TemplateDto } from '@/lib/clerk/dto';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { ReasonField } from '@/components/forms/reason-field';
import { ReasonCodeFields } from '@/components/forms/reason-code-fields';
import { useReasonForm } from '@/components/forms/use-reason-form';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { StepUpPasswordField } from '@/components/auth/step-up-password-field';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { SsoStepUpButton } from '@/components/auth/sso-step-up-button';
import type { MintedToken } from './token-result';
import { expiryInputProblem, formatLifetime } from './token-time';

const TokenResult = dynamic(() => import('./token-result').then((m) => m.TokenResult), { ssr: false });

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm aria-[invalid=true]:border-red-600 dark:border-gray-700 dark:bg-gray-950';
const FIELDS = ['template', 'expiresInSeconds', 'reason', 'reasonCode', 'ticket', 'password'] as const;

export const MIN_EXPIRY_SECONDS = 30;

type TokenInput = {
  sessionId: string;
  template: string;
  expiresInSeconds?: string;
  reason: string;
  reasonCode: string;
  ticket?: string;
  password?: string;
};

/** Step-up on every mint; the token lives only in state; a per-submit request key makes a double click mint once. */
export function TokenForm({
  sessionId,
  templates,
  userLabel,
  passwordStepUp,
  ssoFresh = false,
  maxLifetimeSeconds,
}: {
  sessionId: string;
  templates: TemplateDto[];
  maxLifetimeSeconds: number;
  userLabel: string;
  passwordStepUp: boolean;
  ssoFresh?: boolean;
}) {
  const router = useRouter();
  const mint = useConsoleAction<TokenInput, MintedTokenResult>(createTokenAction, {
    requestKey: true,
    omit: ['password'],
  });
  const [template, setTemplate] = useState('');
  const [expires, setExpires] = useState('');
  const form = useReasonForm();
  const [password, setPassword] = useState('');
  const [failure, setFailure] = useState<ActionFailure | null>(null);
  const [token, setToken] = useState<MintedToken | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const shownTokenKey = useRef<string | null>(null);

  const fieldError = (name: (typeof FIELDS)[number]) => failure?.fieldErrors?.[name]?.[0] ?? null;
  const otherFieldErrors = Object.entries(failure?.fieldErrors ?? {})
    .filter(([k]) => !(FIELDS as readonly string[]).includes(k))
    .flatMap(([, v]) => v);
  const selected = templates.find((t) => t.name === template);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const sent = form.ready();
    if (!sent) return;
    const expiryProblem = expiryInputProblem(expires);
    if (expiryProblem) {
      setNotice(null);
      setFailure({
        ok: false,
        kind: 'invalid_input',
        message: 'Check the highlighted fields.',
        fieldErrors: { expiresInSeconds: [expiryProblem] },
      });
      return;
    }
    const input = {
      sessionId,
      template,
      ...(expires.trim() ? { expiresInSeconds: expires.trim() } : {}),
      ...sent,
      ...(passwordStepUp ? { password } : {}),
    };
    setPassword('');
    void mint.run(input).then((result) => {
      const data = result.ok ? result.data : null;
      if (data?.replayed) {
        // The repeat of a request that minted: the token it minted is on screen already, or it cannot come back.
        if (shownTokenKey.current !== result.requestKey) {
          setFailure(null);
          setNotice(
            `${result.message}${data.jti ? ` Its id (jti) is ${data.jti}.` : ''}${data.expiresAt ? ` It expires at ${new Date(data.expiresAt * 1000).toLocaleString()}.` : ''}`,
          );
        }
      } else if (data) {
        setFailure(null);
        setNotice(result.message);
        shownTokenKey.current = result.requestKey;
        setToken({ ...data, receivedAtMs: Date.now() });
        form.setReason('');
        // Re-render the server panels (the session's audit events now include this token) without losing state.
        router.refresh();
      } else if (!result.ok) {
        setNotice(null);
        setFailure(result);
        form.answered(result);
      }
    });
  }

  return (
    <div className="space-y-4">
      <form
        onSubmit={onSubmit}
        noValidate
        aria-label="Create a token"
        className="grid grid-cols-1 gap-3 sm:grid-cols-2"
      >
        <div>
          <label htmlFor="token-template" className="block text-sm font-medium">
            Template
          </label>
          <select
            id="token-template"
            name="template"
            required
            value={template}
            onChange={(e) => setTemplate(e.target.value)}
            aria-invalid={fieldError('template') ? true : undefined}
            aria-describedby={fieldError('template') ? 'token-template-error' : undefined}
            className={CONTROL}
          >
            <option value="">Choose a template…</option>
            {templates.map((t) => (
              <option key={t.id} value={t.name}>
                {t.name} — {formatLifetime(t.lifetime)}
                {t.lifetime > maxLifetimeSeconds ? ' (above the limit: set an expiry)' : ''}
              </option>
            ))}
          </select>
          {fieldError('template') ? (
            <p id="token-template-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {fieldError('template')}
            </p>
          ) : null}
        </div>
        <TextField
          label="Expires in (seconds)"
          name="expiresInSeconds"
          inputMode="numeric"
          autoComplete="off"
          value={expires}
          onChange={(e) => setExpires(e.target.value)}
          hint={
            selected && selected.lifetime > maxLifetimeSeconds
              ? `Required for this template: it lasts ${formatLifetime(selected.lifetime)}, above this console's limit of ${formatLifetime(maxLifetimeSeconds)}. ${MIN_EXPIRY_SECONDS} to ${maxLifetimeSeconds.toLocaleString('en-US')}.`
              : `Optional, ${MIN_EXPIRY_SECONDS} to ${maxLifetimeSeconds.toLocaleString('en-US')} (this console's limit). Default: the template's lifetime${selected ? ` (${formatLifetime(selected.lifetime)})` : ''}.`
          }
          error={fieldError('expiresInSeconds')}
        />
        <div className="sm:col-span-2">
          <ReasonCodeFields
            value={form.extras}
            onChange={form.setExtras}
            errors={{ reasonCode: fieldError('reasonCode'), ticket: fieldError('ticket') }}
          />
        </div>
        <ReasonField {...form.reasonProps} className="sm:col-span-2" />
        {passwordStepUp ? (
          <StepUpPasswordField
            value={password}
            onChange={setPassword}
            hint="Re-enter your console password to confirm."
            error={fieldError('password')}
          />
        ) : (
          <div className="self-end sm:col-span-2">
            <SsoStepUpButton fresh={ssoFresh} action={stepUpWithSsoAction} />
          </div>
        )}
        <div className="flex items-end sm:col-span-2">
          <Button type="submit" variant="primary" disabled={mint.pending} aria-busy={mint.pending}>
            {mint.pending ? 'Creating token…' : 'Create token'}
          </Button>
        </div>
      </form>

      {failure ? (
        <Alert tone="error" traceId={failure.traceId ?? null}>
          {failure.message}
          {otherFieldErrors.length ? <span className="block">{otherFieldErrors.join(' ')}</span> : null}
        </Alert>
      ) : null}

      {notice ? <Alert tone={token ? 'success' : 'info'}>{notice}</Alert> : null}
      {token ? (
        <TokenResult
          key={token.receivedAtMs}
          token={token}
          userLabel={userLabel}
          onDiscard={() => {
            setToken(null);
            shownTokenKey.current = null;
            setNotice(null);
          }}
        />
      ) : null}
    </div>
  );
}
