/**
 * Carrying a known upstream failure from a Server Component to the section's error.tsx. In production Next
 * replaces a server error's message with a generic one but keeps a `digest` the error already has; so a page
 * throws `boundaryError(kind, traceId)` and the boundary decodes the digest into a fixed, safe message (from
 * the table below, never from the server) and the trace id. No upstream text can travel this way: the kind
 * is checked against a fixed list and the trace id against a strict pattern.
 */
export const BOUNDARY_KINDS = [
  'invalid_input',
  'not_found',
  'already_revoked',
  'rate_limited',
  'key_rejected',
  'unavailable',
  'unknown',
] as const;
export type BoundaryKind = (typeof BOUNDARY_KINDS)[number];

export const BOUNDARY_MESSAGES: Record<BoundaryKind, string> = {
  invalid_input: 'The request was not valid.',
  not_found: 'That record no longer exists.',
  already_revoked: 'That session is no longer active.',
  rate_limited: 'Clerk is busy for this console. Wait a moment and try again.',
  key_rejected:
    "The console's Clerk secret key was rejected. This is a configuration problem: tell an administrator.",
  unavailable: 'The Clerk API could not be reached. Try again in a moment.',
  unknown: 'Something went wrong talking to the Clerk API.',
};

const PREFIX = 'console-api';
const TRACE = /^[A-Za-z0-9._-]{1,128}$/;

export function encodeBoundaryDigest(
  kind: string,
  traceId: string | null | undefined,
  retryAfterSeconds?: number | null,
): string {
  const k = (BOUNDARY_KINDS as readonly string[]).includes(kind) ? kind : 'unknown';
  const t = traceId && TRACE.test(traceId) ? traceId : '';
  const r =
    retryAfterSeconds && Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0
      ? String(Math.ceil(retryAfterSeconds))
      : '';
  return `${PREFIX}:${k}:${t}:${r}`;
}

export interface DecodedBoundaryError {
  kind: BoundaryKind;
  message: string;
  traceId: string | null;
  retryAfterSeconds: number | null;
}

export function decodeBoundaryDigest(digest: string | null | undefined): DecodedBoundaryError | null {
  if (!digest) return null;
  const parts = digest.split(':');
  if (parts.length !== 4 || parts[0] !== PREFIX) return null;
  const [, kind = '', trace = '', retry = ''] = parts;
  if (!(BOUNDARY_KINDS as readonly string[]).includes(kind)) return null;
  const k = kind as BoundaryKind;
  const retryAfterSeconds = /^\d{1,6}$/.test(retry) ? Number(retry) : null;
  return {
    kind: k,
    message: BOUNDARY_MESSAGES[k],
    traceId: TRACE.test(trace) ? trace : null,
    retryAfterSeconds,
  };
}

/** An Error whose digest survives to the error boundary (see above). Its message stays on the server. */
export function boundaryError(
  kind: string,
  traceId: string | null | undefined,
  retryAfterSeconds?: number | null,
): Error & { digest: string } {
  const err = new Error(`Upstream error (${kind})`) as Error & { digest: string };
  err.digest = encodeBoundaryDigest(kind, traceId, retryAfterSeconds);
  return err;
}
