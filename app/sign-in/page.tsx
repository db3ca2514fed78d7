import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { getEnv } from '@/lib/env';
import { getCurrentStaff } from '@/lib/auth/require-staff';
import { safeCallbackPath } from '@/lib/auth/auth.config';
import { SignInForm } from './_components/sign-in-form';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackUrl = safeCallbackPath(typeof params.callbackUrl === 'string' ? params.callbackUrl : null);
  if (await getCurrentStaff()) redirect(callbackUrl);
  const env = getEnv();
  const ssoError = typeof params.error === 'string' && params.error !== 'CredentialsSignin';
  return (
    <main className="flex min-h-screen items-center justify-center p-4">
      <div className="w-full max-w-sm rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
        <h1 className="text-xl font-semibold">Session Console</h1>
        <p className="mt-1 text-sm text-gray-600 dark:text-gray-400">Staff sign-in</p>
        <SignInForm
          callbackUrl={callbackUrl}
          ssoName={env.oidc?.name ?? null}
          initialError={
            ssoError
              ? 'Single sign-on did not complete, or your account is not allowed to use the console.'
              : null
          }
        />
        {env.mode === 'local' ? (
          <p className="mt-6 border-t border-gray-200 pt-4 text-xs text-gray-600 dark:border-gray-800 dark:text-gray-400">
            Local mode: demo accounts <code>admin@example.com</code>, <code>support@example.com</code> and{' '}
            <code>viewer@example.com</code> use the password in <code>DEMO_STAFF_PASSWORD</code> (see the
            README).
          </p>
        ) : null}
      </div>
    </main>
  );
}
