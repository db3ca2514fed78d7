'use client';

import Form from 'next/form';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { paths } from '@/lib/paths';
import { looksLikeIp, searchHref } from '@/lib/session-index/search-link';

export function GlobalSearchForm({ label }: { label: string }) {
  const router = useRouter();
  // An address or a network goes straight to the sessions search; without JavaScript /search sends it there.
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    const q = String(new FormData(e.currentTarget).get('q') ?? '').trim();
    if (!looksLikeIp(q)) return;
    e.preventDefault();
    router.push(searchHref({ ip: q }));
  }
  return (
    // No prefetch: one in flight during sign-out comes back via the proxy with a re-issued cookie, undoing it.
    <Form
      action={paths.search()}
      prefetch={false}
      role="search"
      onSubmit={onSubmit}
      className="flex w-full min-w-0 items-center gap-1.5"
    >
      <label htmlFor="global-search" className="sr-only">
        {label}
      </label>
      <input
        id="global-search"
        name="q"
        type="search"
        required
        maxLength={256}
        autoComplete="off"
        spellCheck={false}
        placeholder="Email, name, phone, user_…, sess_…, client_…, IP or CIDR"
        className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-3 py-1.5 text-sm dark:border-gray-700 dark:bg-gray-950"
      />
      <button
        type="submit"
        className="rounded-md bg-blue-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-blue-800"
      >
        Search
      </button>
    </Form>
  );
}
