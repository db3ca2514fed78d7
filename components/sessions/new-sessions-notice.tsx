'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useTransition } from 'react';
import { newSessionsQuery } from '@/lib/queries/new-sessions';
import { plural } from '@/lib/vocabulary';

/** "2 new sessions — show": a light poll of the session index while the list is open. */
export function NewSessionsNotice({ userId, since }: { userId: string; since: number }) {
  const router = useRouter();
  const qc = useQueryClient();
  const [pending, startTransition] = useTransition();
  const { data } = useQuery(newSessionsQuery(userId, since));
  if (!data || data.count === 0) return null;
  return (
    <p
      role="status"
      className="flex flex-wrap items-center gap-2 rounded-md border border-blue-200 bg-blue-50 px-3 py-2 text-sm dark:border-blue-900 dark:bg-blue-950/40"
      data-testid="new-sessions"
    >
      {plural(data.count, 'new session')}
      {' — '}
      <button
        type="button"
        className="font-semibold text-blue-800 underline-offset-2 hover:underline dark:text-blue-300"
        disabled={pending}
        onClick={() =>
          startTransition(async () => {
            await qc.invalidateQueries({ queryKey: ['sessions', userId] });
            router.refresh();
          })
        }
      >
        {pending ? 'Loading…' : 'show'}
      </button>
    </p>
  );
}
