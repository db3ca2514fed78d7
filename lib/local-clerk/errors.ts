// Clerk's error envelope and catalogue entries (codes and messages as in shared/reference/clerk-api-errors.json).
import { randomBytes } from 'node:crypto';
import type { ClerkErrorJson, ClerkErrorsJson } from './types';

export class ClerkApiError extends Error {
  constructor(
    readonly status: number,
    readonly errors: ClerkErrorJson[],
    readonly headers: Record<string, string> = {},
  ) {
    super(errors[0]?.message ?? 'error');
  }
}

const one = (
  status: number,
  code: string,
  message: string,
  longMessage: string,
  meta?: Record<string, unknown>,
  headers?: Record<string, string>,
) =>
  new ClerkApiError(
    status,
    [{ message, long_message: longMessage, code, ...(meta ? { meta } : {}) }],
    headers,
  );

export function newTraceId(): string {
  return randomBytes(16).toString('hex');
}

export function errorBody(error: ClerkApiError, traceId: string): ClerkErrorsJson {
  return { errors: error.errors, meta: {}, clerk_trace_id: traceId };
}

export const clerkError = {
  authenticationInvalid: () =>
    one(
      401,
      'authentication_invalid',
      'Invalid authentication',
      'Unable to authenticate the request, you need to supply an active session',
    ),
  authorizationHeaderFormatInvalid: () =>
    one(
      401,
      'authorization_header_format_invalid',
      'Invalid Authorization header format',
      "Invalid Authorization header format. Must be 'Bearer <YOUR_API_KEY>'",
    ),
  clerkKeyInvalid: () => {
    const text = 'The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.';
    return one(401, 'clerk_key_invalid', text, text);
  },
  authorizationInvalid: () =>
    one(
      403,
      'authorization_invalid',
      'Unauthorized request',
      'You are not authorized to perform this request',
    ),

  resourceNotFound: () => one(404, 'resource_not_found', 'not found', 'Resource not found'),
  sessionNotFound: (id: string) =>
    one(404, 'resource_not_found', 'Session not found', `No session was found with id ${id}`),
  userNotFound: (id: string) =>
    one(404, 'resource_not_found', 'not found', `No user was found with id ${id}`),
  clientNotFound: (id: string) =>
    one(404, 'resource_not_found', 'Client not found', `No client was found with id ${id}`),
  jwtTemplateNotFound: (attribute: 'id' | 'name', value: string) =>
    one(
      404,
      'resource_not_found',
      'JWT template not found',
      `No JWT template exists with ${attribute}: ${value}`,
    ),
  apiKeyNotFound: (id: string) =>
    one(404, 'resource_not_found', 'API key not found', `No API key was found with id ${id}`),
  trustedDeviceNotFound: (id: string) =>
    one(404, 'resource_not_found', 'Trusted device not found', `No trusted device was found with id ${id}`),
  userBanned: () =>
    one(
      403,
      'user_banned',
      'User banned',
      'You have been banned. If you think this was by mistake, please contact support.',
    ),
  userLocked: (secondsLeft: number | null) =>
    one(
      403,
      'user_locked',
      'Account locked',
      secondsLeft === null
        ? 'Your account is locked. For more information, please contact support.'
        : `Your account is locked. You will be able to try again in ${lockoutText(secondsLeft)}. For more information, please contact support.`,
      secondsLeft === null ? undefined : { lockout_expires_in_seconds: secondsLeft },
    ),
  noPasswordSet: () =>
    one(
      400,
      'no_password_set',
      'no password set',
      'This user does not have a password set for their account',
    ),
  // The API key endpoints answer in their own style (openapi: `bad_request`, "Invalid '<where>': <why>").
  apiKeyBadRequest: (longMessage: string) => one(400, 'bad_request', 'Bad Request', longMessage),
  // Not in Clerk's catalogue (its router answers unknown methods itself); same envelope so clients can parse it.
  methodNotAllowed: (method: string, allowed: string[]) =>
    one(
      405,
      'method_not_allowed',
      'Method not allowed',
      `The ${method} method is not allowed for this endpoint. Allowed: ${allowed.join(', ')}.`,
      undefined,
      {
        Allow: allowed.join(', '),
      },
    ),

  invalidActionForSession: (action: string, sessionId: string) =>
    one(
      400,
      'invalid_action_for_session',
      'Invalid action for user session',
      `Unable to ${action} session ${sessionId}`,
      { session_id: sessionId },
    ),
  requestBodyInvalid: () =>
    one(
      400,
      'request_body_invalid',
      'Request body invalid',
      'The request body is invalid. Please consult the API documentation for more information.',
    ),
  missingOneOfQueryParameters: (params: string[]) =>
    one(
      400,
      'missing_query_parameter',
      'Missing query parameter',
      `Either of the following query parameters must be provided: ${params.join(', ')}.`,
    ),
  requestBodyTooLarge: (maxBytes: number) =>
    one(
      413,
      'request_body_too_large',
      'Request body too large',
      `The request body exceeds the maximum allowed size of ${maxBytes} bytes.`,
    ),
  unsupportedContentType: (actual: string) =>
    one(
      415,
      'unsupported_content_type',
      'Content-Type is unsupported',
      `Content-Type ${actual} is unsupported. You should use application/json instead.`,
    ),

  formParamMissing: (param: string) =>
    one(422, 'form_param_missing', 'is missing', `${param} must be included.`, { param_name: param }),
  formParamUnknown: (param: string) =>
    one(422, 'form_param_unknown', 'is unknown', `${param} is not a valid parameter for this request.`, {
      param_name: param,
    }),
  formParamNotAllowedValue: (param: string, value: string) =>
    one(
      422,
      'form_param_value_invalid',
      'is invalid',
      `${value} does not match one of the allowed values for parameter ${param}`,
      { param_name: param },
    ),
  formParamWrongType: (param: string, received: string, expected: string) =>
    one(
      422,
      'form_param_value_invalid',
      'is invalid',
      `${param} is invalid. Received ${received}, must be of type ${expected}.`,
      { param_name: param },
    ),
  formParamValueInvalid: (param: string, longMessage: string) =>
    one(422, 'form_param_value_invalid', 'is invalid', longMessage, { param_name: param }),
  formParamFormatInvalid: (param: string, longMessage: string) =>
    one(422, 'form_param_format_invalid', 'is invalid', longMessage, { param_name: param }),

  tooManyRequests: (retryAfterSeconds: number) =>
    one(429, 'too_many_requests', 'Too many requests', 'Too many requests, retry later', undefined, {
      'Retry-After': String(retryAfterSeconds),
    }),
  internal: () =>
    one(
      500,
      'internal_clerk_error',
      'Oops, an unexpected error occurred',
      "There was an internal error on our servers. We've been notified and are working on fixing it.",
    ),
  serviceUnavailable: () => one(503, 'service_unavailable', 'Service unavailable', 'Service unavailable'),
  gatewayTimeout: () =>
    one(504, 'gateway_timeout', 'Gateway Timeout', 'A request to a 3rd party service timed out'),
};

function lockoutText(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

export function errorForStatus(status: number, retryAfterSeconds?: number): ClerkApiError {
  const base = (() => {
    switch (status) {
      case 400:
        return clerkError.requestBodyInvalid();
      case 401:
        return clerkError.authenticationInvalid();
      case 403:
        return clerkError.authorizationInvalid();
      case 404:
        return clerkError.resourceNotFound();
      case 413:
        return clerkError.requestBodyTooLarge(1_048_576);
      case 422:
        return one(422, 'form_param_value_invalid', 'is invalid', 'The request is invalid.');
      case 429:
        return clerkError.tooManyRequests(retryAfterSeconds ?? 1);
      case 503:
        return clerkError.serviceUnavailable();
      case 504:
        return clerkError.gatewayTimeout();
      default:
        return status >= 500
          ? clerkError.internal()
          : one(status, 'request_invalid', 'Request invalid', 'The request could not be processed.');
    }
  })();
  const headers =
    retryAfterSeconds === undefined
      ? base.headers
      : { ...base.headers, 'Retry-After': String(retryAfterSeconds) };
  return new ClerkApiError(status, base.errors, headers);
}
