'use client';

import type { FormEvent } from 'react';
import type { ActionResult } from '@/lib/vocabulary';
import { useConsoleAction } from '@/components/forms/use-console-action';

export function SignOutButton({
  action,
}: {
  action: (input: Record<string, never>) => Promise<ActionResult<unknown>>;
}) {
  const { run, pending } = useConsoleAction(action);
  function submit(e: FormEvent) {
    e.preventDefault();
    void run({});
  }
  return (
    <form onSubmit={submit}>
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
