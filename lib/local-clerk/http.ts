// Every failure is Clerk's error envelope with a fresh trace id: never a stack trace.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClerkApiError, clerkError, errorBody, errorForStatus, newTraceId } from './errors';
import { omitFields, type FaultRule } from './faults';
import { checkHost } from './host-check';
import { ACCOUNT_ROUTES } from './routes/account';
import { API_KEY_ROUTES } from './routes/api-keys';
import {
  deleteFaults,
  deleteRequests,
  getFaults,
  getRequests,
  postSignIn,
  putFaults,
} from './routes/fault-control';
import { JsonText, type ApiContext, type Route } from './routes/request';
import { createSession, getSession, listSessions, revokeSession } from './routes/sessions';
import { createSessionToken, createTemplateToken, getTemplate, jwks, listTemplates } from './routes/tokens';
import { countUsers, getClient, getUser, listUsers } from './routes/users';
import { attribute, lastOutboxSeq } from './webhook-outbox';

export type { ApiContext } from './routes/request';

const API_ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/v1\/sessions$/, handler: listSessions },
  { method: 'POST', pattern: /^\/v1\/sessions$/, handler: createSession },
  { method: 'GET', pattern: /^\/v1\/sessions\/([^/]+)$/, handler: getSession },
  { method: 'POST', pattern: /^\/v1\/sessions\/([^/]+)\/revoke$/, handler: revokeSession },
  { method: 'POST', pattern: /^\/v1\/sessions\/([^/]+)\/tokens$/, handler: createSessionToken },
  { method: 'POST', pattern: /^\/v1\/sessions\/([^/]+)\/tokens\/([^/]+)$/, handler: createTemplateToken },
  { method: 'GET', pattern: /^\/v1\/users$/, handler: listUsers },
  { method: 'GET', pattern: /^\/v1\/users\/count$/, handler: countUsers },
  { method: 'GET', pattern: /^\/v1\/users\/([^/]+)$/, handler: getUser },
  { method: 'GET', pattern: /^\/v1\/clients\/([^/]+)$/, handler: getClient },
  { method: 'GET', pattern: /^\/v1\/jwt_templates$/, handler: listTemplates },
  { method: 'GET', pattern: /^\/v1\/jwt_templates\/([^/]+)$/, handler: getTemplate },
  { method: 'GET', pattern: /^\/v1\/jwks$/, handler: jwks },
  ...ACCOUNT_ROUTES,
  ...API_KEY_ROUTES,
];

const FAULT_ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/__faults$/, handler: getFaults },
  { method: 'PUT', pattern: /^\/__faults$/, handler: putFaults },
  { method: 'DELETE', pattern: /^\/__faults$/, handler: deleteFaults },
  { method: 'GET', pattern: /^\/__faults\/requests$/, handler: getRequests },
  { method: 'DELETE', pattern: /^\/__faults\/requests$/, handler: deleteRequests },
  { method: 'POST', pattern: /^\/__faults\/sign-in$/, handler: postSignIn },
];

function resolve(routes: Route[], method: string, path: string): { route: Route; params: string[] } {
  const allowed: string[] = [];
  for (const route of routes) {
    const m = route.pattern.exec(path);
    if (!m) continue;
    if (route.method !== method) {
      allowed.push(route.method);
      continue;
    }
    const params: string[] = [];
    for (const raw of m.slice(1)) {
      try {
        params.push(decodeURIComponent(raw ?? ''));
      } catch {
        throw clerkError.resourceNotFound();
      }
    }
    return { route, params };
  }
  if (allowed.length) throw clerkError.methodNotAllowed(method, [...new Set(allowed)]);
  throw clerkError.resourceNotFound();
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  traceId: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const json = Buffer.from(body instanceof JsonText ? body.text : JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    // Exactly this: @clerk/backend treats `application/json; charset=utf-8` as text.
    'Content-Type': 'application/json',
    'Content-Length': String(json.length),
    'Clerk-Trace-Id': traceId,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(json);
}

const sha256 = (v: string): Buffer => createHash('sha256').update(v).digest();

function authenticate(req: IncomingMessage, expectedDigest: Buffer): void {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') throw clerkError.authenticationInvalid();
  const m = /^Bearer +(\S+) *$/i.exec(header);
  if (!m) throw clerkError.authorizationHeaderFormatInvalid();
  // Compare digests in constant time: the key's length and prefix leak nothing through timing.
  if (!timingSafeEqual(sha256(m[1] as string), expectedDigest)) throw clerkError.clerkKeyInvalid();
}

async function applyFault(
  rule: FaultRule,
  ctx: ApiContext,
  req: IncomingMessage,
  res: ServerResponse,
  traceId: string,
): Promise<boolean> {
  if (rule.latencyMs) await sleep(rule.latencyMs, undefined, { signal: ctx.shutdown });
  if (rule.reset) {
    req.socket.resetAndDestroy();
    return true;
  }
  const status = rule.status ?? (rule.body !== undefined ? 200 : undefined);
  if (status === undefined) return false;
  const retryAfter: Record<string, string> =
    rule.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) };
  if (rule.body !== undefined) {
    res.writeHead(status, {
      'Content-Type': rule.contentType ?? 'application/json',
      'Content-Length': String(Buffer.byteLength(rule.body)),
      'Clerk-Trace-Id': traceId,
      ...retryAfter,
    });
    res.end(rule.body);
  } else if (status >= 400) {
    const err = errorForStatus(status, rule.retryAfter);
    sendJson(res, status, errorBody(err, traceId), traceId, err.headers);
  } else {
    sendJson(res, status, {}, traceId, retryAfter);
  }
  return true;
}

// @clerk/backend 3.25 sends apiKeys.* to `/api_keys` (skipApiVersionInUrl); Clerk serves them under /v1 as well.
function withVersion(path: string): string {
  return path === '/api_keys' || path.startsWith('/api_keys/') ? `/v1${path}` : path;
}

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  const keyDigest = sha256(ctx.secretKey);
  const rateKey = keyDigest.toString('hex');

  async function handle(req: IncomingMessage, res: ServerResponse, traceId: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = withVersion(q === -1 ? target : target.slice(0, q));
    const search = q === -1 ? '' : target.slice(q + 1);
    const query = new URLSearchParams(search);
    checkHost(req);

    if (path === '/v1' || path.startsWith('/v1/')) {
      ctx.faults?.record(method, path, search);
      // The key first: a fault rule (a canned 200, a delay) must never answer a caller without it.
      authenticate(req, keyDigest);
      const fault = ctx.faults?.take(method, path);
      if (fault && (await applyFault(fault, ctx, req, res, traceId))) return;
      // JWKS is exempt, as on Clerk; unauthenticated requests never reach this line, so they never use up the key.
      if (path !== '/v1/jwks') {
        const decision = ctx.limiter.take(rateKey);
        if (!decision.ok) throw clerkError.tooManyRequests(decision.retryAfterSeconds);
      }
      const { route, params } = resolve(API_ROUTES, method, path);
      const since = method === 'GET' ? 0 : lastOutboxSeq(ctx.store.db);
      const result = await route.handler({ ctx, req, params, query });
      if (method !== 'GET')
        attribute(ctx.store.db, since, req.socket.remoteAddress ?? null, req.headers['user-agent'] ?? null);
      sendJson(res, 200, omitFields(result, fault), traceId);
      return;
    }
    if (ctx.faults && (path === '/__faults' || path.startsWith('/__faults/'))) {
      authenticate(req, keyDigest);
      const { route, params } = resolve(FAULT_ROUTES, method, path);
      sendJson(res, 200, await route.handler({ ctx, req, params, query }), traceId);
      return;
    }
    throw clerkError.resourceNotFound();
  }

  return (req, res) => {
    const traceId = newTraceId();
    const started = performance.now();
    handle(req, res, traceId)
      .catch((e: unknown) => {
        if (ctx.shutdown.aborted) {
          res.destroy();
          return;
        }
        let err: ClerkApiError;
        if (e instanceof ClerkApiError) err = e;
        else {
          ctx.logError(`internal error (trace ${traceId}): ${e instanceof Error ? e.message : String(e)}`);
          err = clerkError.internal();
        }
        sendJson(res, err.status, errorBody(err, traceId), traceId, err.headers);
      })
      .finally(() => {
        const path = (req.url ?? '/').split('?')[0];
        ctx.log(
          `${req.method} ${path} ${res.headersSent ? res.statusCode : 'reset'} ${(performance.now() - started).toFixed(1)}ms`,
        );
      });
  };
}
