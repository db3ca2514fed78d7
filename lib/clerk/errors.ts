import 'server-only';
import { isClerkAPIResponseError, type ClerkAPIResponseError } from '@clerk/backend/errors';

// No upstream text ever reaches a message; only the error code and trace id survive, in a safe alphabet.

export type ConsoleErrorKind =
  | 'invalid_input'
  | 'not_found'
  | 'already_revoked'
  | 'rate_limited'
  | 'key_rejected'
  | 'forbidden'
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
  notInPlan: (feature: string | null) =>
    `Your Clerk plan does not include ${feature ?? 'this feature'}, so Clerk refused this step. An administrator can change the plan in the Clerk Dashboard.`,
  notEnabled: (feature: string | null) =>
    `Your Clerk plan does not include ${feature ?? 'this feature'}, or it is turned off for this instance in the Clerk Dashboard, so Clerk refused this step.`,
  quotaReached: (feature: string | null) =>
    `Your Clerk plan's limit for ${feature ?? 'this feature'} is reached, so Clerk refused this step.`,
  passwordsOff: 'Passwords are turned off for this Clerk instance, so Clerk refused this step.',
  refused:
    'Clerk refused this request. Nothing was changed by it; tell an administrator if it keeps happening.',
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

// 403 codes that mean the key itself may not do this; any other 403 code is Clerk refusing one request.
const KEY_REFUSALS = new Set([
  'authorization_invalid',
  'authorization_missing_scopes',
  'platform_api_auth_strategy_not_allowed',
]);
const NOT_ENABLED = new Set([
  'feature_not_enabled',
  'feature_not_implemented',
  'feature_requires_custom_domain',
  'billing_not_enabled',
  'organization_not_enabled_in_instance',
]);

function refusalMessage(status: number, code: string | null, feature: string | null): string {
  if (status === 402 || code === 'unsupported_subscription_plan_features') return MESSAGES.notInPlan(feature);
  if (code && NOT_ENABLED.has(code)) return MESSAGES.notEnabled(feature);
  if (code && /quota_exceeded$/.test(code)) return MESSAGES.quotaReached(feature);
  if (code === 'password_disabled') return MESSAGES.passwordsOff;
  return MESSAGES.refused;
}

/** A plan or feature refusal, worded for the step that met it. */
export function isRefusal(e: unknown): e is ConsoleApiError {
  return e instanceof ConsoleApiError && e.kind === 'forbidden';
}

export function forFeature(e: unknown, feature: string): unknown {
  if (!isRefusal(e) || e.status === null) return e;
  return new ConsoleApiError({
    kind: 'forbidden',
    userMessage: refusalMessage(e.status, e.clerkCode, feature),
    status: e.status,
    clerkCode: e.clerkCode,
    traceId: e.traceId,
  });
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
    if (status === 401 || (status === 403 && (clerkCode === null || KEY_REFUSALS.has(clerkCode)))) {
      return new ConsoleApiError({ ...base, kind: 'key_rejected', userMessage: MESSAGES.keyRejected });
    }
    if (status === 402 || status === 403) {
      return new ConsoleApiError({
        ...base,
        kind: 'forbidden',
        userMessage: refusalMessage(status, clerkCode, null),
      });
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
