// The embedded Backend API's HTTP layer: auth, rate limit, fault injection, routing and the handlers. Every
// response is `Content-Type: application/json` with no charset (@clerk/backend compares the header exactly) and
// every failure is Clerk's error envelope with a fresh trace id: never a stack trace.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { ClerkApiError, clerkError, errorBody, errorForStatus, newTraceId } from './errors';
import { FaultRuleError, type FaultInjector, type FaultRule } from './faults';
import { checkHost } from './host-check';
import { ID_PREFIX, isId, newId, type IdPrefix } from './ids';
import type { SlidingWindowLimiter } from './rate-limit';
import {
  USER_ORDER_FIELDS,
  type LocalClerkStore,
  type SessionFilter,
  type UserFilter,
  type UserOrderField,
} from './store';
import { publicJwks, signSessionToken, signTemplateToken, type InstanceKey } from './tokens';
import { SESSION_FILTER_STATUSES, type SessionJson, type SessionStatus } from './types';

export interface ApiContext {
  store: LocalClerkStore;
  secretKey: string;
  issuer: string;
  key: InstanceKey;
  limiter: SlidingWindowLimiter;
  /** null when fault injection is off: its control paths then answer 404. */
  faults: FaultInjector | null;
  /** Aborted when the server closes, so injected latencies do not hold it open. */
  shutdown: AbortSignal;
  /** Request lines (silenced by `quiet`). */
  log: (line: string) => void;
  /** Internal failures: always reported, since the client only ever sees a generic 500. */
  logError: (line: string) => void;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 10;
const MAX_ARRAY_PARAM = 100;
const TOKEN_LIFETIME = { min: 30, max: 315_360_000 } as const;
const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const ABANDON_AFTER_MS = 30 * 24 * 3600 * 1000;
const LIVE: ReadonlySet<SessionStatus> = new Set(['active', 'pending']);

interface Call {
  ctx: ApiContext;
  req: IncomingMessage;
  params: string[];
  query: URLSearchParams;
}

type Handler = (c: Call) => unknown;

/** A response body that is already JSON text (built by the store), sent as is instead of through JSON.stringify. */
class JsonText {
  constructor(readonly text: string) {}
}

interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

// ---------------------------------------------------------------------------------------------------------------
// Parameter parsing

function intParam(q: URLSearchParams, name: string, fallback: number, min: number, max?: number): number {
  const raw = q.get(name);
  // The SDK drops falsy values, and an empty value means "not given" on Clerk too.
  if (raw === null || raw === '') return fallback;
  if (!/^-?\d{1,16}$/.test(raw)) throw clerkError.formParamWrongType(name, 'string', 'integer');
  const n = Number(raw);
  if (n < min || (max !== undefined && n > max)) {
    throw clerkError.formParamValueInvalid(
      name,
      max === undefined
        ? `${name} must be greater than or equal to ${min}.`
        : `${name} must be between ${min} and ${max}.`,
    );
  }
  return n;
}

function optionalIntParam(q: URLSearchParams, name: string): number | undefined {
  return q.get(name) ? intParam(q, name, 0, 0) : undefined;
}

// Go's strconv.ParseBool, which Clerk's query decoding uses.
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw clerkError.formParamNotAllowedValue(name, clip(raw));
}

function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const values = q.getAll(name).filter((v) => v !== '');
  if (values.length === 0) return undefined;
  if (values.length > MAX_ARRAY_PARAM)
    throw clerkError.formParamValueInvalid(name, `${name} must contain at most ${MAX_ARRAY_PARAM} values.`);
  return values;
}

/** A `+`/`-` prefixed value; an unencoded `+` in a query string arrives as a space. */
function signed(value: string): { sign: '+' | '-'; value: string } {
  const first = value.charAt(0);
  if (first === '-') return { sign: '-', value: value.slice(1) };
  if (first === '+' || first === ' ') return { sign: '+', value: value.slice(1) };
  return { sign: '+', value };
}

const clip = (v: string, max = 100): string => (v.length > max ? `${v.slice(0, max)}…` : v);

function pathId(c: Call, prefix: IdPrefix): string {
  const id = c.params[0] ?? '';
  // Only a well-formed id is echoed back in the message; anything else gets the generic not-found.
  if (!isId(prefix, id)) throw clerkError.resourceNotFound();
  return id;
}

function paging(q: URLSearchParams): { limit: number; offset: number } {
  return { limit: intParam(q, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT), offset: intParam(q, 'offset', 0, 0) };
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw clerkError.requestBodyTooLarge(MAX_BODY_BYTES);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A JSON object body with only the `allowed` keys. An empty body is valid whatever the content type: the SDK
 * sends `Content-Type: application/json` with no body for revoke and for tokens without an expiry.
 */
async function jsonBody(req: IncomingMessage, allowed: readonly string[]): Promise<Record<string, unknown>> {
  const raw = await readBody(req);
  if (raw.trim() === '') return {};
  const contentType = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType))
    throw clerkError.unsupportedContentType(clip(contentType || '(none)'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw clerkError.requestBodyInvalid();
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw clerkError.requestBodyInvalid();
  const body = parsed as Record<string, unknown>;
  for (const key of Object.keys(body))
    if (!allowed.includes(key)) throw clerkError.formParamUnknown(clip(key));
  return body;
}

const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v;

function expiresInSeconds(body: Record<string, unknown>): number | undefined {
  const v = body.expires_in_seconds;
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    throw clerkError.formParamWrongType('expires_in_seconds', jsonType(v), 'integer');
  if (v < TOKEN_LIFETIME.min || v > TOKEN_LIFETIME.max) {
    throw clerkError.formParamValueInvalid(
      'expires_in_seconds',
      `expires_in_seconds must be between ${TOKEN_LIFETIME.min} and ${TOKEN_LIFETIME.max}.`,
    );
  }
  return v;
}

// ---------------------------------------------------------------------------------------------------------------
// Handlers

function listSessions({ ctx, query: q }: Call): unknown {
  const userId = q.get('user_id') || undefined;
  const clientId = q.get('client_id') || undefined;
  if (!userId && !clientId) throw clerkError.missingOneOfQueryParameters(['client_id', 'user_id']);
  const status = q.get('status') || undefined;
  if (status !== undefined && !(SESSION_FILTER_STATUSES as readonly string[]).includes(status)) {
    throw clerkError.formParamNotAllowedValue('status', clip(status));
  }
  const { limit, offset } = paging(q);
  const paginated = boolParam(q, 'paginated') ?? false;
  const filter: SessionFilter = { userId, clientId, status: status as SessionStatus | undefined };
  const data = ctx.store.listSessionsJson(filter, limit, offset);
  return new JsonText(paginated ? `{"data":${data},"total_count":${ctx.store.countSessions(filter)}}` : data);
}

function getSession(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.session);
  return c.ctx.store.getSession(id) ?? throwError(clerkError.sessionNotFound(id));
}

async function revokeSession(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.session);
  await jsonBody(c.req, []);
  const result = c.ctx.store.revokeSession(id, Date.now());
  if (result.ok) return result.session;
  throw result.reason === 'not_found'
    ? clerkError.sessionNotFound(id)
    : clerkError.invalidActionForSession('revoke', id);
}

/** The session a token is minted for: it must exist and be live (a signed-out session gets a 404, as on Clerk). */
function liveSession(c: Call, id: string): SessionJson {
  const session = c.ctx.store.getSession(id);
  if (!session || !LIVE.has(session.status)) throw clerkError.sessionNotFound(id);
  return session;
}

async function createSessionToken(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.session);
  const expires = expiresInSeconds(await jsonBody(c.req, ['expires_in_seconds']));
  const session = liveSession(c, id);
  const user = c.ctx.store.getUser(session.user_id) ?? throwError(clerkError.sessionNotFound(id));
  const jwt = await signSessionToken({
    key: c.ctx.key,
    issuer: c.ctx.issuer,
    session,
    user,
    expiresInSeconds: expires,
  });
  return { object: 'token', jwt };
}

async function createTemplateToken(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.session);
  const name = c.params[1] ?? '';
  const expires = expiresInSeconds(await jsonBody(c.req, ['expires_in_seconds']));
  const session = liveSession(c, id);
  const found = c.ctx.store.getTemplateByName(name);
  if (!found)
    throw name.length <= 256 ? clerkError.jwtTemplateNotFound('name', name) : clerkError.resourceNotFound();
  const user = c.ctx.store.getUser(session.user_id) ?? throwError(clerkError.sessionNotFound(id));
  const jwt = await signTemplateToken({
    key: c.ctx.key,
    issuer: c.ctx.issuer,
    template: found.template,
    signingKey: found.signingKey,
    session,
    user,
    expiresInSeconds: expires,
  });
  return { object: 'token', jwt };
}

async function createSession(c: Call): Promise<unknown> {
  const body = await jsonBody(c.req, ['user_id', 'active_organization_id']);
  const userId = body.user_id;
  if (userId === undefined || userId === null || userId === '') throw clerkError.formParamMissing('user_id');
  if (typeof userId !== 'string') throw clerkError.formParamWrongType('user_id', jsonType(userId), 'string');
  const org = body.active_organization_id;
  if (org !== undefined && org !== null && (typeof org !== 'string' || !isId(ID_PREFIX.organization, org))) {
    throw clerkError.formParamFormatInvalid(
      'active_organization_id',
      'active_organization_id must be a valid organization id.',
    );
  }
  if (!isId(ID_PREFIX.user, userId)) throw clerkError.resourceNotFound();
  if (!c.ctx.store.getUser(userId)) throw clerkError.userNotFound(userId);

  const now = Date.now();
  const client = {
    id: newId(ID_PREFIX.client, now),
    sign_in_id: null,
    sign_up_id: null,
    last_authentication_strategy: null,
    created_at: now,
    updated_at: now,
  };
  const session: SessionJson = {
    object: 'session',
    id: newId(ID_PREFIX.session, now),
    user_id: userId,
    client_id: client.id,
    actor: null,
    status: 'active',
    last_active_organization_id: typeof org === 'string' ? org : null,
    last_active_at: now,
    // Created through the Backend API, not a browser: there is no device, browser or location to report.
    latest_activity: {
      object: 'session_activity',
      id: newId(ID_PREFIX.sessionActivity, now),
      is_mobile: false,
    },
    expire_at: now + SESSION_LIFETIME_MS,
    abandon_at: now + ABANDON_AFTER_MS,
    updated_at: now,
    created_at: now,
    tasks: null,
  };
  c.ctx.store.createSession(client, session);
  return session;
}

function userFilter(q: URLSearchParams): UserFilter {
  const ids = listParam(q, 'user_id')?.map(signed);
  const include = ids?.filter((i) => i.sign === '+').map((i) => i.value);
  const exclude = ids?.filter((i) => i.sign === '-').map((i) => i.value);
  return {
    query: q.get('query') || undefined,
    emailAddresses: listParam(q, 'email_address'),
    // An unencoded `+15550100001` arrives as " 15550100001".
    phoneNumbers: listParam(q, 'phone_number')?.map((p) => (p.startsWith(' ') ? `+${p.slice(1)}` : p)),
    usernames: listParam(q, 'username'),
    externalIds: listParam(q, 'external_id'),
    userIdsIn: include?.length ? include : undefined,
    userIdsOut: exclude?.length ? exclude : undefined,
    banned: boolParam(q, 'banned'),
    emailAddressQuery: q.get('email_address_query') || undefined,
    phoneNumberQuery: q.get('phone_number_query') || undefined,
    usernameQuery: q.get('username_query') || undefined,
    nameQuery: q.get('name_query') || undefined,
    createdAtBefore: optionalIntParam(q, 'created_at_before'),
    createdAtAfter: optionalIntParam(q, 'created_at_after'),
    lastActiveAtBefore: optionalIntParam(q, 'last_active_at_before'),
    lastActiveAtAfter: optionalIntParam(q, 'last_active_at_after'),
    lastSignInAtBefore: optionalIntParam(q, 'last_sign_in_at_before'),
    lastSignInAtAfter: optionalIntParam(q, 'last_sign_in_at_after'),
  };
}

function listUsers({ ctx, query: q }: Call): unknown {
  const filter = userFilter(q);
  const raw = q.get('order_by') || '-created_at';
  const { sign, value } = signed(raw);
  if (!(USER_ORDER_FIELDS as readonly string[]).includes(value))
    throw clerkError.formParamNotAllowedValue('order_by', clip(raw));
  const { limit, offset } = paging(q);
  // Always a bare array: /v1/users has no `paginated` envelope (the SDK asks /users/count for the total).
  return ctx.store.listUsers(
    filter,
    { field: value as UserOrderField, direction: sign === '-' ? 'desc' : 'asc' },
    limit,
    offset,
  );
}

function countUsers({ ctx, query }: Call): unknown {
  return { object: 'total_count', total_count: ctx.store.countUsers(userFilter(query)) };
}

function getUser(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.user);
  return c.ctx.store.getUser(id) ?? throwError(clerkError.userNotFound(id));
}

function getClient(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.client);
  return c.ctx.store.getClient(id) ?? throwError(clerkError.clientNotFound(id));
}

function listTemplates({ ctx, query: q }: Call): unknown {
  const { limit, offset } = paging(q);
  const paginated = boolParam(q, 'paginated') ?? false;
  const data = ctx.store.listTemplates(limit, offset);
  return paginated ? { data, total_count: ctx.store.countTemplates() } : data;
}

function getTemplate(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.jwtTemplate);
  return c.ctx.store.getTemplateById(id) ?? throwError(clerkError.jwtTemplateNotFound('id', id));
}

function jwks({ ctx }: Call): unknown {
  return publicJwks(ctx.key);
}

// ---- fault control (outside /v1)

async function putFaults(c: Call): Promise<unknown> {
  const faults = c.ctx.faults as FaultInjector;
  const body = await jsonBody(c.req, ['rules']);
  try {
    faults.setRules(body, faultScope(c.query));
  } catch (e) {
    if (e instanceof FaultRuleError)
      throw clerkError.formParamValueInvalid(e.param, `${e.param} is invalid: ${e.message}`);
    throw e;
  }
  return { rules: faults.describe() };
}

const getFaults = (c: Call): unknown => ({ rules: (c.ctx.faults as FaultInjector).describe() });

function faultScope(query: URLSearchParams): string | undefined {
  const scope = query.get('scope');
  return scope && /^[\w-]{1,64}$/.test(scope) ? scope : undefined;
}

function deleteFaults(c: Call): unknown {
  (c.ctx.faults as FaultInjector).clear(faultScope(c.query));
  return { rules: [] };
}

const getRequests = (c: Call): unknown => (c.ctx.faults as FaultInjector).requests();

function deleteRequests(c: Call): unknown {
  (c.ctx.faults as FaultInjector).clearRequests();
  return { count: 0, requests: [] };
}

function throwError(e: ClerkApiError): never {
  throw e;
}

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
];

const FAULT_ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/__faults$/, handler: getFaults },
  { method: 'PUT', pattern: /^\/__faults$/, handler: putFaults },
  { method: 'DELETE', pattern: /^\/__faults$/, handler: deleteFaults },
  { method: 'GET', pattern: /^\/__faults\/requests$/, handler: getRequests },
  { method: 'DELETE', pattern: /^\/__faults\/requests$/, handler: deleteRequests },
];

/** The matching route, or the error a router answers: 404 for an unknown path, 405 for a known one. */
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

// ---------------------------------------------------------------------------------------------------------------
// Transport

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

/** Applies a fault; true when it produced the response (or dropped the connection). */
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

export function createRequestHandler(ctx: ApiContext): (req: IncomingMessage, res: ServerResponse) => void {
  const keyDigest = sha256(ctx.secretKey);
  const rateKey = keyDigest.toString('hex');

  async function handle(req: IncomingMessage, res: ServerResponse, traceId: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const target = req.url ?? '/';
    const q = target.indexOf('?');
    const path = q === -1 ? target : target.slice(0, q);
    const search = q === -1 ? '' : target.slice(q + 1);
    const query = new URLSearchParams(search);
    checkHost(req);

    if (path === '/v1' || path.startsWith('/v1/')) {
      ctx.faults?.record(method, path, search);
      const fault = ctx.faults?.take(method, path);
      if (fault && (await applyFault(fault, ctx, req, res, traceId))) return;
      authenticate(req, keyDigest);
      // JWKS is exempt, as on Clerk; unauthenticated requests never reach this line, so they never use up the key.
      if (path !== '/v1/jwks') {
        const decision = ctx.limiter.take(rateKey);
        if (!decision.ok) throw clerkError.tooManyRequests(decision.retryAfterSeconds);
      }
      const { route, params } = resolve(API_ROUTES, method, path);
      sendJson(res, 200, await route.handler({ ctx, req, params, query }), traceId);
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
