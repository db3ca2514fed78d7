import 'server-only';
import { isClerkAPIResponseError, type ClerkAPIResponseError } from '@clerk/backend/errors';

// No upstream text ever reaches a message; only the error code and trace id survive, in a safe alphabet.

export type ConsoleErrorKind =
  | 'invalid_input'
  | 'not_found'
  | 'already_revoked'
  | 'rate_limited'
  | 'key_rejected'
  | 'unavailable'
  | 'unknown';

export type ClerkResource = 'session' | 'user' | 'client' | 'template';

export interface ConsoleApiErrorInit {
  kind: ConsoleErrorKind;
  userMessage: string;
  traceId?: string | null;
  retryAfterSeconds?: number | null;
  status?: number | null;
  clerkCode?: string | null;
  outcomeUnknown?: boolean;
}

export class ConsoleApiError extends Error {
  readonly kind: ConsoleErrorKind;
  readonly userMessage: string;
  readonly traceId: string | null;
  readonly retryAfterSeconds: number | null;
  readonly status: number | null;
  readonly clerkCode: string | null;
  readonly outcomeUnknown: boolean;

  constructor(init: ConsoleApiErrorInit) {
    super(init.userMessage);
    this.name = 'ConsoleApiError';
    this.kind = init.kind;
    this.userMessage = init.userMessage;
    this.traceId = init.traceId ?? null;
    this.retryAfterSeconds = init.retryAfterSeconds ?? null;
    this.status = init.status ?? null;
    this.clerkCode = init.clerkCode ?? null;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
  }
}

export const MESSAGES = {
  notFound: {
    session: 'Session not found.',
    user: 'User not found.',
    client: 'Client not found.',
    template: 'JWT template not found.',
    any: 'Not found.',
  },
  alreadyRevoked: 'This session is no longer active (already revoked or ended).',
  revokeRefused:
    'Clerk refused to revoke this session although it is still active. Try again, or tell an administrator.',
  tokenSessionInactive:
    'Session not found, or it is no longer active: tokens can only be created for active sessions.',
  unknownTemplate: 'There is no JWT template with that name.',
  emptySearch: 'Enter an email address, name, phone number or id to search for.',
  invalidPage: 'The page requested is not valid.',
  unverifiable: 'Not a JWT.',
  rateLimited: (seconds: number | null) =>
    seconds === null
      ? 'Clerk is rate-limiting requests. Retry in a few seconds.'
      : `Clerk is rate-limiting requests. Retry in ${seconds} s.`,
  budgetSpent: (seconds: number) => `Clerk is busy for this console: try again in ${seconds} s.`,
  budgetUnavailable:
    'The console could not check its Clerk request budget (its database did not answer). Try again shortly.',
  tooLarge:
    'Clerk sent a response too large to read. Try again, or tell an administrator if it keeps happening.',
  keyRejected:
    "The console's Clerk secret key was rejected. This is a configuration problem: tell an administrator.",
  unavailable: 'Clerk is unavailable right now. Try again shortly.',
  timedOut: 'Clerk did not answer in time. Try again shortly.',
  outcomeUnknown:
    'Clerk did not confirm the request in time, so it may or may not have been carried out. Check the current state before trying again.',
  rejectedInput: 'Clerk rejected the request as invalid.',
  unexpected:
    'Clerk returned an unexpected response. Try again, or tell an administrator if it keeps happening.',
  invalid: {
    session: 'Not a valid session id.',
    user: 'Not a valid user id.',
    client: 'Not a valid client id.',
    template: 'Not a valid template name.',
    any: 'The request is not valid.',
  },
} as const;

export function safeTraceId(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9-]{1,128}$/.test(value) ? value : null;
}

function safeCode(value: unknown): string | null {
  return typeof value === 'string' && /^[a-z0-9_]{1,64}$/.test(value) ? value : null;
}

function safeRetryAfter(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return null;
  return Math.min(86_400, Math.ceil(value));
}

export function invalidInput(resource: ClerkResource | 'any', message?: string): ConsoleApiError {
  return new ConsoleApiError({ kind: 'invalid_input', userMessage: message ?? MESSAGES.invalid[resource] });
}

/** The SDK's own guard throws on null/undefined ("type guard requires an error object"). */
export function isClerkApiResponseError(e: unknown): e is ClerkAPIResponseError {
  return e !== null && typeof e === 'object' && isClerkAPIResponseError(e);
}

const SDK_MISSING_KEY = /^Missing Clerk Secret Key/;
const SDK_MISSING_ID = /^A valid resource ID is required/;

// A 400 means "already revoked" only when Clerk says the action is invalid for the session.
export function toConsoleApiError(e: unknown, resource?: ClerkResource): ConsoleApiError {
  if (e instanceof ConsoleApiError) return e;
  if (isClerkApiResponseError(e)) {
    const status = typeof e.status === 'number' ? e.status : null;
    const first = Array.isArray(e.errors) ? e.errors[0] : undefined;
    const clerkCode = safeCode(first?.code);
    const traceId = safeTraceId(e.clerkTraceId);
    const base = { status, clerkCode, traceId };
    if (status === null) {
      // No HTTP answer at all: refused, reset, DNS, TLS. The SDK folds these into `unexpected_error`.
      return new ConsoleApiError({ ...base, kind: 'unavailable', userMessage: MESSAGES.unavailable });
    }
    if (status === 404) {
      return new ConsoleApiError({
        ...base,
        kind: 'not_found',
        userMessage: MESSAGES.notFound[resource ?? 'any'],
      });
    }
    if (status === 429) {
      const retryAfterSeconds = safeRetryAfter(e.retryAfter);
      return new ConsoleApiError({
        ...base,
        kind: 'rate_limited',
        retryAfterSeconds,
        userMessage: MESSAGES.rateLimited(retryAfterSeconds),
      });
    }
    if (status === 401 || status === 403) {
      return new ConsoleApiError({ ...base, kind: 'key_rejected', userMessage: MESSAGES.keyRejected });
    }
    if (status === 400 && clerkCode === 'invalid_action_for_session') {
      return new ConsoleApiError({ ...base, kind: 'already_revoked', userMessage: MESSAGES.alreadyRevoked });
    }
    if (status === 400 || status === 422) {
      return new ConsoleApiError({ ...base, kind: 'invalid_input', userMessage: MESSAGES.rejectedInput });
    }
    if (status === 408 || status >= 500) {
      return new ConsoleApiError({ ...base, kind: 'unavailable', userMessage: MESSAGES.unavailable });
    }
    return new ConsoleApiError({ ...base, kind: 'unknown', userMessage: MESSAGES.unexpected });
  }
  if (e instanceof Error && SDK_MISSING_KEY.test(e.message)) {
    return new ConsoleApiError({ kind: 'key_rejected', userMessage: MESSAGES.keyRejected });
  }
  if (e instanceof Error && SDK_MISSING_ID.test(e.message)) {
    return new ConsoleApiError({ kind: 'invalid_input', userMessage: MESSAGES.invalid[resource ?? 'any'] });
  }
  return new ConsoleApiError({ kind: 'unknown', userMessage: MESSAGES.unexpected });
}
