'use client';

import { useActionState } from 'react';
import { signInAction, signInWithSsoAction } from '../actions';
import type { ActionResult } from '@/lib/actions/action-state';

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
        <div>
          <label htmlFor="email" className="block text-sm font-medium">
            Email
          </label>
          <input
            id="email"
            name="email"
            type="email"
            autoComplete="username"
            required
            aria-invalid={Boolean(fieldError('email'))}
            aria-describedby={fieldError('email') ? 'email-error' : undefined}
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
          {fieldError('email') ? (
            <p id="email-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {fieldError('email')}
            </p>
          ) : null}
        </div>
        <div>
          <label htmlFor="password" className="block text-sm font-medium">
            Password
          </label>
          <input
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={Boolean(fieldError('password'))}
            aria-describedby={fieldError('password') ? 'password-error' : undefined}
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
          {fieldError('password') ? (
            <p id="password-error" className="mt-1 text-sm text-red-700 dark:text-red-400">
              {fieldError('password')}
            </p>
          ) : null}
        </div>
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
