import Form from 'next/form';
import { paths } from '@/lib/paths';

export const SEARCH_LABEL = 'Search users, sessions, clients';

export function GlobalSearch() {
  return (
    // No prefetch: one in flight during sign-out comes back via the proxy with a re-issued cookie, undoing it.
    <Form
      action={paths.search()}
      prefetch={false}
      role="search"
      className="flex w-full min-w-0 items-center gap-1.5"
    >
      <label htmlFor="global-search" className="sr-only">
        {SEARCH_LABEL}
      </label>
      <input
        id="global-search"
        name="q"
        type="search"
        required
        maxLength={256}
        autoComplete="off"
        spellCheck={false}
        placeholder="Email, name, phone, user_…, sess_…, client_…"
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
