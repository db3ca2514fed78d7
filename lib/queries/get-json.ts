import { ActionError, type ActionFailure } from '@/lib/vocabulary';

// A poll must not count as the staff member being active.
export const POLL_HEADER = 'x-console-poll';

function isFailure(body: unknown): body is ActionFailure {
  return (
    typeof body === 'object' &&
    body !== null &&
    (body as { ok?: unknown }).ok === false &&
    typeof (body as { kind?: unknown }).kind === 'string' &&
    typeof (body as { message?: unknown }).message === 'string'
  );
}

export async function getJson<T>(
  url: string,
  opts: { signal?: AbortSignal; poll?: boolean } = {},
): Promise<T> {
  const res = await fetch(url, {
    signal: opts.signal,
    credentials: 'same-origin',
    headers: { accept: 'application/json', ...(opts.poll ? { [POLL_HEADER]: '1' } : {}) },
  });
  const body: unknown = await res.json().catch(() => null);
  if (res.ok && body !== null) return body as T;
  throw new ActionError(
    isFailure(body)
      ? body
      : {
          ok: false,
          kind: res.status === 401 ? 'unauthenticated' : 'unknown',
          message: 'The console answered unexpectedly. Try again.',
        },
  );
}
