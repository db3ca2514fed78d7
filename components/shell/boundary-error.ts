/** Next keeps a thrown error's digest in production: it carries a checked kind and trace id, never upstream text. */
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

export function boundaryError(
  kind: string,
  traceId: string | null | undefined,
  retryAfterSeconds?: number | null,
): Error & { digest: string } {
  const err = new Error(`Upstream error (${kind})`) as Error & { digest: string };
  err.digest = encodeBoundaryDigest(kind, traceId, retryAfterSeconds);
  return err;
}
