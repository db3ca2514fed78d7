'use client';

import { useActionState } from 'react';
import { signInAction, signInWithSsoAction } from '../actions';
import type { ActionResult } from '@/lib/vocabulary';
import { TextField } from '@/components/ui/text-field';

export function SignInForm({
  callbackUrl,
  ssoName,
  initialError,
}: {
  callbackUrl: string;
  ssoName: string | null;
  initialError: string | null;
}) {
  const [state, formAction, pending] = useActionState<ActionResult<unknown> | null, FormData>(
    signInAction,
    null,
  );
  const error = state && !state.ok ? state : null;
  const fieldError = (name: string) => error?.fieldErrors?.[name]?.[0];
  const message = error && !error.fieldErrors ? error.message : initialError;
  return (
    <div className="mt-6 space-y-4">
      <form action={formAction} className="space-y-4" noValidate>
        <input type="hidden" name="callbackUrl" value={callbackUrl} />
        <TextField
          id="email"
          name="email"
          type="email"
          label="Email"
          autoComplete="username"
          required
          error={fieldError('email')}
        />
        <TextField
          id="password"
          name="password"
          type="password"
          label="Password"
          autoComplete="current-password"
          required
          error={fieldError('password')}
        />
        {message ? (
          <p
            role="alert"
            className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 dark:bg-red-950 dark:text-red-200"
          >
            {message}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={pending}
          className="w-full rounded-md bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800 disabled:opacity-60"
        >
          {pending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {ssoName ? (
        <form action={signInWithSsoAction as unknown as (f: FormData) => Promise<void>}>
          <input type="hidden" name="callbackUrl" value={callbackUrl} />
          <button
            type="submit"
            className="w-full rounded-md border border-gray-300 px-3 py-2 text-sm font-semibold dark:border-gray-700"
          >
            Sign in with {ssoName}
          </button>
        </form>
      ) : null}
    </div>
  );
}
