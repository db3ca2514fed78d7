import 'server-only';
import { cache } from 'react';
import { unstable_rethrow } from 'next/navigation';
import {
  ConsoleApiError,
  getClient,
  getSession,
  getUser,
  listTemplates,
  toConsoleApiError,
} from '@/lib/clerk';
import { log } from '@/lib/log';

// React cache: one upstream call per id per request, however many panels ask.
export const loadSession = cache((id: string) => getSession(id));
export const loadUser = cache((id: string) => getUser(id));
export const loadClient = cache((id: string) => getClient(id));
export const loadTemplates = cache(() => listTemplates());

export interface PanelFailure {
  message: string;
  traceId: string | null;
}

/** A known upstream error's fixed message and trace id, else a generic one; Next's control flow passes through. */
export function panelFailure(
  e: unknown,
  resource: 'session' | 'user' | 'client' | 'template',
  where: string,
): PanelFailure {
  unstable_rethrow(e);
  const err = e instanceof ConsoleApiError ? e : toConsoleApiError(e, resource);
  if (err.kind === 'unknown' || err.kind === 'key_rejected' || err.kind === 'unavailable') {
    log.warn(
      { where, kind: err.kind, status: err.status, traceId: err.traceId },
      'session detail panel failed',
    );
  }
  return { message: err.userMessage, traceId: err.traceId };
}

export type Attempt<T> = { ok: true; value: T } | { ok: false; failure: PanelFailure };

export async function attempt<T>(
  read: () => Promise<T>,
  resource: 'session' | 'user' | 'client' | 'template',
  where: string,
): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await read() };
  } catch (e) {
    return { ok: false, failure: panelFailure(e, resource, where) };
  }
}
