import 'server-only';
import { notFound } from 'next/navigation';
import { ConsoleApiError } from '@/lib/clerk';
import { boundaryError } from '@/components/shell/boundary-error';

export type PageRead<T> = { ok: true; value: T } | { ok: false; invalid: string };

/**
 * The one mapping of a page's read failure: an unknown id is the section's not-found view, input Clerk refused is
 * handed back for the page to explain, and anything else goes to the section's error view as a digest (a fixed
 * message and Clerk's trace id, never upstream text). Errors that are not Clerk's pass through unchanged.
 */
export async function pageRead<T>(read: Promise<T>): Promise<PageRead<T>> {
  try {
    return { ok: true, value: await read };
  } catch (e) {
    if (!(e instanceof ConsoleApiError)) throw e;
    if (e.kind === 'not_found') notFound();
    if (e.kind === 'invalid_input') return { ok: false, invalid: e.userMessage };
    throw boundaryError(e.kind, e.traceId, e.retryAfterSeconds);
  }
}
