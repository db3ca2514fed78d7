'use client';

import { useTransition } from 'react';

export function SignOutButton({ action }: { action: (input: Record<string, never>) => Promise<unknown> }) {
  const [pending, startTransition] = useTransition();
  return (
    <form
      action={() =>
        startTransition(async () => {
          await action({});
        })
      }
    >
      <button
        type="submit"
        disabled={pending}
        className="rounded-md px-3 py-1.5 text-sm font-medium text-gray-700 hover:bg-gray-100 disabled:opacity-60 dark:text-gray-300 dark:hover:bg-gray-800"
      >
        {pending ? 'Signing out…' : 'Sign out'}
      </button>
    </form>
  );
}
