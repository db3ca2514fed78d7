import 'server-only';
import { describe, expect, it } from 'vitest';
import { ClerkAPIResponseError } from '@clerk/backend/errors';
import { ConsoleApiError, MESSAGES, forFeature, isRefusal, toConsoleApiError } from './errors';

const CANARY = 'CANARY-402x';
const TRACE = 'b1c2d3e4f5a60718293a4b5c6d7e8f90';

function clerkError(status: number, code?: unknown, traceId: string = TRACE): ClerkAPIResponseError {
  return new ClerkAPIResponseError(`${CANARY} <script>alert(1)</script>`, {
    data:
      code === undefined
        ? []
        : [
            {
              code: code as string,
              message: `${CANARY} message`,
              long_message: `${CANARY} upgrade at https://evil.example sk_live_${'y'.repeat(30)}`,
              meta: { param_name: CANARY },
            },
          ],
    status,
    clerkTraceId: traceId,
  });
}

function expectPlain(err: ConsoleApiError) {
  const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack });
  expect(everything).not.toContain(CANARY);
  expect(everything).not.toContain('sk_live_');
  expect(everything).not.toContain('evil.example');
}

describe('Clerk refusals: a plan or feature refusal is not a rejected key', () => {
  const refusals: [string, number, string | undefined, string][] = [
    ['402 without a body', 402, undefined, MESSAGES.notInPlan(null)],
    ['402 insufficient_seats', 402, 'insufficient_seats', MESSAGES.notInPlan(null)],
    [
      '402 unsupported plan features',
      402,
      'unsupported_subscription_plan_features',
      MESSAGES.notInPlan(null),
    ],
    ['403 feature_not_enabled', 403, 'feature_not_enabled', MESSAGES.notEnabled(null)],
    ['403 feature_not_implemented', 403, 'feature_not_implemented', MESSAGES.notEnabled(null)],
    ['403 billing_not_enabled', 403, 'billing_not_enabled', MESSAGES.notEnabled(null)],
    ['403 quota_exceeded', 403, 'quota_exceeded', MESSAGES.quotaReached(null)],
    ['403 user_quota_exceeded', 403, 'user_quota_exceeded', MESSAGES.quotaReached(null)],
    ['403 password_disabled', 403, 'password_disabled', MESSAGES.passwordsOff],
    ['403 action_blocked', 403, 'action_blocked', MESSAGES.refused],
  ];

  it.each(refusals)('%s → forbidden with a plain message and the trace id', (_n, status, code, message) => {
    const err = toConsoleApiError(clerkError(status, code), 'user');
    expect(err.kind).toBe('forbidden');
    expect(isRefusal(err)).toBe(true);
    expect(err.userMessage).toBe(message);
    expect(err.message).toBe(message);
    expect(err.status).toBe(status);
    expect(err.clerkCode).toBe(code ?? null);
    expect(err.traceId).toBe(TRACE);
    expect(err.outcomeUnknown).toBe(false);
    expectPlain(err);
  });

  it('says which plan feature it was when the caller names it', () => {
    expect(MESSAGES.notInPlan('API keys')).toMatch(/^Your Clerk plan does not include API keys\b/);
    const worded = forFeature(toConsoleApiError(clerkError(402)), 'API keys') as ConsoleApiError;
    expect(worded.kind).toBe('forbidden');
    expect(worded.userMessage).toBe(MESSAGES.notInPlan('API keys'));
    expect(worded.traceId).toBe(TRACE);
    const notEnabled = forFeature(
      toConsoleApiError(clerkError(403, 'feature_not_enabled')),
      'trusted devices',
    ) as ConsoleApiError;
    expect(notEnabled.userMessage).toContain('does not include trusted devices');
    const other = toConsoleApiError(clerkError(404, 'resource_not_found'), 'user');
    expect(forFeature(other, 'API keys')).toBe(other);
  });

  const keyFailures: [string, number, unknown][] = [
    ['401 clerk_key_invalid', 401, 'clerk_key_invalid'],
    ['403 authorization_invalid', 403, 'authorization_invalid'],
    ['403 authorization_missing_scopes', 403, 'authorization_missing_scopes'],
    ['403 without a body (not JSON, no errors[])', 403, undefined],
    ['403 with a code outside the safe alphabet', 403, 'feature_not_enabled<img src=x>'],
    ['403 with a non-string code', 403, { toString: () => 'feature_not_enabled' }],
  ];

  it.each(keyFailures)('%s stays "key rejected"', (_n, status, code) => {
    const err = toConsoleApiError(clerkError(status, code), 'user');
    expect(err.kind).toBe('key_rejected');
    expect(err.userMessage).toBe(MESSAGES.keyRejected);
    expect(err.traceId).toBe(TRACE);
    expect(forFeature(err, 'API keys')).toBe(err);
    expectPlain(err);
  });

  it('drops a hostile trace id from a refusal but keeps the plain message', () => {
    const err = toConsoleApiError(clerkError(402, 'insufficient_seats', '"><svg onload=alert(1)>'));
    expect(err.kind).toBe('forbidden');
    expect(err.traceId).toBeNull();
    expect(err.userMessage).toBe(MESSAGES.notInPlan(null));
  });
});
