import 'server-only';
import { describe, expect, it } from 'vitest';
import { ClerkAPIResponseError } from '@clerk/backend/errors';
import { ConsoleApiError, MESSAGES, toConsoleApiError, type ClerkResource } from './errors';

const CANARY = 'CANARY-7f3e';

/** Built the way @clerk/backend's request builder builds it: HTTP status text as message, errors parsed from JSON. */
function clerkError(opts: {
  status?: number;
  code?: string;
  traceId?: string;
  retryAfter?: number;
  statusText?: string;
}): ClerkAPIResponseError {
  return new ClerkAPIResponseError(opts.statusText ?? `${CANARY} status text <b>html</b>`, {
    data: opts.code
      ? [
          {
            code: opts.code,
            message: `${CANARY} message`,
            long_message: `${CANARY} long message sk_test_${'x'.repeat(30)}`,
            meta: { param_name: CANARY },
          },
        ]
      : [],
    status: opts.status as number, // the SDK passes undefined when no response arrived
    clerkTraceId: opts.traceId ?? 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    retryAfter: opts.retryAfter,
  });
}

function expectNoLeak(err: ConsoleApiError) {
  const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack });
  expect(everything).not.toContain(CANARY);
  expect(everything).not.toContain('sk_test_');
  expect(err.message).toBe(err.userMessage);
  expect(err.cause).toBeUndefined();
}

describe('toConsoleApiError: Clerk API responses', () => {
  const rows: [
    string,
    { status?: number; code?: string; retryAfter?: number },
    ClerkResource | undefined,
    string,
    string,
  ][] = [
    [
      '404 session',
      { status: 404, code: 'resource_not_found' },
      'session',
      'not_found',
      'Session not found.',
    ],
    ['404 user', { status: 404, code: 'resource_not_found' }, 'user', 'not_found', 'User not found.'],
    ['404 client', { status: 404, code: 'resource_not_found' }, 'client', 'not_found', 'Client not found.'],
    [
      '404 template',
      { status: 404, code: 'resource_not_found' },
      'template',
      'not_found',
      'JWT template not found.',
    ],
    [
      '404 without resource',
      { status: 404, code: 'resource_not_found' },
      undefined,
      'not_found',
      'Not found.',
    ],
    [
      '400 invalid_action_for_session',
      { status: 400, code: 'invalid_action_for_session' },
      'session',
      'already_revoked',
      MESSAGES.alreadyRevoked,
    ],
    [
      '400 other code',
      { status: 400, code: 'request_body_invalid' },
      'session',
      'invalid_input',
      MESSAGES.rejectedInput,
    ],
    [
      '422 form_param_value_invalid',
      { status: 422, code: 'form_param_value_invalid' },
      'session',
      'invalid_input',
      MESSAGES.rejectedInput,
    ],
    [
      '429 with Retry-After',
      { status: 429, code: 'too_many_requests', retryAfter: 7 },
      'session',
      'rate_limited',
      'Clerk is rate-limiting requests. Retry in 7 s.',
    ],
    [
      '429 without Retry-After',
      { status: 429, code: 'too_many_requests' },
      'session',
      'rate_limited',
      MESSAGES.rateLimited(null),
    ],
    [
      '401 clerk_key_invalid',
      { status: 401, code: 'clerk_key_invalid' },
      'session',
      'key_rejected',
      MESSAGES.keyRejected,
    ],
    [
      '401 authentication_invalid',
      { status: 401, code: 'authentication_invalid' },
      'user',
      'key_rejected',
      MESSAGES.keyRejected,
    ],
    [
      '403 authorization_invalid',
      { status: 403, code: 'authorization_invalid' },
      'user',
      'key_rejected',
      MESSAGES.keyRejected,
    ],
    [
      '500 internal_clerk_error',
      { status: 500, code: 'internal_clerk_error' },
      'session',
      'unavailable',
      MESSAGES.unavailable,
    ],
    ['500 with an HTML body (no errors[])', { status: 500 }, 'session', 'unavailable', MESSAGES.unavailable],
    ['502', { status: 502 }, 'session', 'unavailable', MESSAGES.unavailable],
    [
      '503 service_unavailable',
      { status: 503, code: 'service_unavailable' },
      'session',
      'unavailable',
      MESSAGES.unavailable,
    ],
    [
      '504 gateway_timeout',
      { status: 504, code: 'gateway_timeout' },
      'session',
      'unavailable',
      MESSAGES.unavailable,
    ],
    [
      'no response (connection refused)',
      { code: 'unexpected_error' },
      'session',
      'unavailable',
      MESSAGES.unavailable,
    ],
    [
      '410 operation_deprecated',
      { status: 410, code: 'operation_deprecated' },
      'client',
      'unknown',
      MESSAGES.unexpected,
    ],
    ['405', { status: 405, code: 'method_not_allowed' }, 'session', 'unknown', MESSAGES.unexpected],
  ];

  it.each(rows)('%s → %s', (_name, input, resource, kind, message) => {
    const err = toConsoleApiError(clerkError(input), resource);
    expect(err).toBeInstanceOf(ConsoleApiError);
    expect(err.kind).toBe(kind);
    expect(err.userMessage).toBe(message);
    expect(err.status).toBe(input.status ?? null);
    expect(err.clerkCode).toBe(input.code ?? null);
    expect(err.traceId).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f90');
    expect(err.outcomeUnknown).toBe(false);
    expectNoLeak(err);
  });

  it('exposes Retry-After as whole seconds and only on rate limits', () => {
    expect(toConsoleApiError(clerkError({ status: 429, retryAfter: 3 })).retryAfterSeconds).toBe(3);
    expect(toConsoleApiError(clerkError({ status: 429 })).retryAfterSeconds).toBeNull();
    expect(toConsoleApiError(clerkError({ status: 429, retryAfter: 10_000_000 })).retryAfterSeconds).toBe(
      86_400,
    );
    expect(toConsoleApiError(clerkError({ status: 503, retryAfter: 3 })).retryAfterSeconds).toBeNull();
  });

  it('drops trace ids and codes that are not plain tokens instead of showing them', () => {
    const hostileTrace = toConsoleApiError(
      clerkError({ status: 404, traceId: '<img src=x onerror=alert(1)>' }),
      'session',
    );
    expect(hostileTrace.traceId).toBeNull();
    expect(toConsoleApiError(clerkError({ status: 404, traceId: '' })).traceId).toBeNull();
    expect(toConsoleApiError(clerkError({ status: 404, traceId: '8a1b2c3d4e5f6789-AMS' })).traceId).toBe(
      '8a1b2c3d4e5f6789-AMS',
    );
    const hostileCode = toConsoleApiError(clerkError({ status: 400, code: 'Bad Code; DROP TABLE' }));
    expect(hostileCode.clerkCode).toBeNull();
    expect(hostileCode.kind).toBe('invalid_input');
  });
});

describe('toConsoleApiError: anything else', () => {
  it('returns a ConsoleApiError unchanged', () => {
    const original = new ConsoleApiError({ kind: 'not_found', userMessage: 'Session not found.' });
    expect(toConsoleApiError(original)).toBe(original);
  });

  it("maps the SDK's missing-key error to key_rejected and its empty-id error to invalid_input", () => {
    expect(
      toConsoleApiError(new Error('Missing Clerk Secret Key. Go to https://dashboard.clerk.com')).kind,
    ).toBe('key_rejected');
    const noId = toConsoleApiError(new Error('A valid resource ID is required.'), 'session');
    expect(noId.kind).toBe('invalid_input');
    expect(noId.userMessage).toBe('Not a valid session id.');
  });

  it('maps unknown errors and non-errors to a generic message without their text', () => {
    for (const thrown of [
      new Error(`${CANARY} boom`),
      new TypeError(`${CANARY}`),
      `${CANARY} string`,
      { message: CANARY },
      null,
      undefined,
    ]) {
      const err = toConsoleApiError(thrown, 'session');
      expect(err.kind).toBe('unknown');
      expect(err.userMessage).toBe(MESSAGES.unexpected);
      expectNoLeak(err);
    }
  });
});
