import type { IncomingMessage } from 'node:http';
import { clerkError, type ClerkApiError } from '../errors';
import type { FaultInjector } from '../faults';
import { isId, type IdPrefix } from '../ids';
import type { SlidingWindowLimiter } from '../rate-limit';
import type { LocalClerkStore } from '../store';
import type { InstanceKey } from '../tokens';

export interface ApiContext {
  store: LocalClerkStore;
  secretKey: string;
  issuer: string;
  key: InstanceKey;
  limiter: SlidingWindowLimiter;
  faults: FaultInjector | null;
  shutdown: AbortSignal;
  log: (line: string) => void;
  logError: (line: string) => void;
}

const MAX_BODY_BYTES = 64 * 1024;
const MAX_LIMIT = 500;
const DEFAULT_LIMIT = 10;
const MAX_ARRAY_PARAM = 100;

export interface Call {
  ctx: ApiContext;
  req: IncomingMessage;
  params: string[];
  query: URLSearchParams;
}

export type Handler = (c: Call) => unknown;

export class JsonText {
  constructor(readonly text: string) {}
}

export interface Route {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  pattern: RegExp;
  handler: Handler;
}

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

export function optionalIntParam(q: URLSearchParams, name: string): number | undefined {
  return q.get(name) ? intParam(q, name, 0, 0) : undefined;
}

// Go's strconv.ParseBool, which Clerk's query decoding uses.
const TRUE = new Set(['1', 't', 'T', 'true', 'TRUE', 'True']);
const FALSE = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False']);

export function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (TRUE.has(raw)) return true;
  if (FALSE.has(raw)) return false;
  throw clerkError.formParamNotAllowedValue(name, clip(raw));
}

export function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const values = q.getAll(name).filter((v) => v !== '');
  if (values.length === 0) return undefined;
  if (values.length > MAX_ARRAY_PARAM)
    throw clerkError.formParamValueInvalid(name, `${name} must contain at most ${MAX_ARRAY_PARAM} values.`);
  return values;
}

/** A `+`/`-` prefixed value; an unencoded `+` in a query string arrives as a space. */
export function signed(value: string): { sign: '+' | '-'; value: string } {
  const first = value.charAt(0);
  if (first === '-') return { sign: '-', value: value.slice(1) };
  if (first === '+' || first === ' ') return { sign: '+', value: value.slice(1) };
  return { sign: '+', value };
}

export const clip = (v: string, max = 100): string => (v.length > max ? `${v.slice(0, max)}…` : v);

export function pathId(c: Call, prefix: IdPrefix): string {
  const id = c.params[0] ?? '';
  // Only a well-formed id is echoed back in the message; anything else gets the generic not-found.
  if (!isId(prefix, id)) throw clerkError.resourceNotFound();
  return id;
}

export function paging(q: URLSearchParams): { limit: number; offset: number } {
  return { limit: intParam(q, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT), offset: intParam(q, 'offset', 0, 0) };
}

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

/** An empty body is valid whatever the content type: the SDK sends `application/json` with no body for revoke. */
export async function jsonBody(
  req: IncomingMessage,
  allowed: readonly string[],
): Promise<Record<string, unknown>> {
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

export const jsonType = (v: unknown): string =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'number' ? 'number' : typeof v;

export function throwError(e: ClerkApiError): never {
  throw e;
}
