// Resolution is an allow-list: anything not named below renders as null, so a template cannot leak private data.
import type { SessionJson, UserJson } from './types';

export interface ShortcodeContext {
  user: UserJson;
  session: SessionJson;
}

export const RESERVED_TEMPLATE_CLAIMS: readonly string[] = Object.freeze([
  'azp',
  'exp',
  'iat',
  'iss',
  'jti',
  'nbf',
  'sub',
]);

/** The walk is linear in these; the depth cap also stops cyclic objects before they blow the stack. */
export const TEMPLATE_LIMITS = Object.freeze({
  maxDepth: 16,
  maxNodes: 1_000,
  maxStringLength: 4_096,
  maxKeyLength: 256,
});

export class TemplateClaimsError extends RangeError {
  override name = 'TemplateClaimsError';
}

/** Keys that would reach Object.prototype (or a constructor) if used as a property name or path segment. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export function findReservedClaim(claims: Record<string, unknown>): string | null {
  for (const key of Object.keys(claims)) {
    if (RESERVED_TEMPLATE_CLAIMS.includes(key)) return key;
  }
  return null;
}

export function validateTemplateClaims(claims: unknown): string | null {
  if (!isPlainObject(claims)) return 'claims must be a JSON object';
  const reserved = findReservedClaim(claims);
  if (reserved) return `You can't use the reserved claim: '${reserved}'`;
  try {
    walk(claims, { nodes: 0 }, 0, (s) => s);
  } catch (e) {
    if (e instanceof TemplateClaimsError) return e.message;
    throw e;
  }
  return null;
}

/** Reserved claims are NOT removed here: the signer drops them so its defaults always win. */
export function renderClaims(
  claims: Record<string, unknown>,
  ctx: ShortcodeContext,
): Record<string, unknown> {
  if (!isPlainObject(claims)) throw new TemplateClaimsError('claims must be a JSON object');
  const out = walk(claims, { nodes: 0 }, 0, (s) => renderString(s, ctx));
  return out as Record<string, unknown>;
}

function walk(
  value: unknown,
  budget: { nodes: number },
  depth: number,
  str: (s: string) => unknown,
): unknown {
  if (++budget.nodes > TEMPLATE_LIMITS.maxNodes) {
    throw new TemplateClaimsError(`claims may hold at most ${TEMPLATE_LIMITS.maxNodes} values`);
  }
  if (typeof value === 'string') {
    if (value.length > TEMPLATE_LIMITS.maxStringLength) {
      throw new TemplateClaimsError(
        `claim strings may be at most ${TEMPLATE_LIMITS.maxStringLength} characters`,
      );
    }
    return str(value);
  }
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value) || isPlainObject(value)) {
    if (depth >= TEMPLATE_LIMITS.maxDepth) {
      throw new TemplateClaimsError(`claims may nest at most ${TEMPLATE_LIMITS.maxDepth} levels deep`);
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, budget, depth + 1, str));
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) {
      if (key.length > TEMPLATE_LIMITS.maxKeyLength) {
        throw new TemplateClaimsError(
          `claim names may be at most ${TEMPLATE_LIMITS.maxKeyLength} characters`,
        );
      }
      // Dropped rather than copied: a `__proto__` claim would re-parent `out` or trip a naive consumer's merge.
      if (key === '__proto__') continue;
      out[key] = walk(value[key], budget, depth + 1, str);
    }
    return out;
  }
  return null; // undefined, functions, bigints, class instances: not JSON
}

// A linear scanner: no regular expressions over user input, so no catastrophic backtracking.

interface Segment {
  text?: string;
  expr?: string;
}

function splitShortcodes(s: string): Segment[] {
  const parts: Segment[] = [];
  let i = 0;
  let textStart = 0;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    if (open < 0) break;
    const close = findClose(s, open + 2);
    if (close < 0) break; // an unclosed "{{" is plain text
    if (open > textStart) parts.push({ text: s.slice(textStart, open) });
    parts.push({ expr: s.slice(open + 2, close) });
    i = textStart = close + 2;
  }
  if (textStart < s.length) parts.push({ text: s.slice(textStart) });
  return parts;
}

function findClose(s: string, from: number): number {
  let quoted = false;
  for (let j = from; j < s.length; j++) {
    const c = s[j];
    if (quoted) {
      if (c === '\\') j++;
      else if (c === "'") quoted = false;
    } else if (c === "'") {
      quoted = true;
    } else if (c === '}' && s[j + 1] === '}') {
      return j;
    }
  }
  return -1;
}

function renderString(s: string, ctx: ShortcodeContext): unknown {
  if (!s.includes('{{')) return s;
  const parts = splitShortcodes(s);
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only?.expr !== undefined) return evaluate(only.expr, ctx);
  let out = '';
  for (const part of parts) {
    out += part.expr === undefined ? (part.text ?? '') : stringify(evaluate(part.expr, ctx));
  }
  return out;
}

function stringify(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function evaluate(expr: string, ctx: ShortcodeContext): unknown {
  const operands = splitOperands(expr);
  let last: unknown = null;
  for (const op of operands) {
    last = operand(op.trim(), ctx);
    if (last) return last;
  }
  return last;
}

function splitOperands(expr: string): string[] {
  const ops: string[] = [];
  let quoted = false;
  let start = 0;
  for (let j = 0; j < expr.length; j++) {
    const c = expr[j];
    if (quoted) {
      if (c === '\\') j++;
      else if (c === "'") quoted = false;
    } else if (c === "'") {
      quoted = true;
    } else if (c === '|' && expr[j + 1] === '|') {
      ops.push(expr.slice(start, j));
      start = j + 2;
      j++;
    }
  }
  ops.push(expr.slice(start));
  return ops;
}

const NUMBER = /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/; // no nested quantifiers: linear

function operand(op: string, ctx: ShortcodeContext): unknown {
  if (op.startsWith("'")) return stringLiteral(op);
  if (op === 'true') return true;
  if (op === 'false') return false;
  if (op === 'null') return null;
  if (NUMBER.test(op)) return Number(op);
  const path = parsePath(op);
  return path ? resolve(path, ctx) : null;
}

function stringLiteral(op: string): string | null {
  let out = '';
  for (let j = 1; j < op.length; j++) {
    const c = op[j];
    if (c === '\\' && j + 1 < op.length) out += op[++j];
    else if (c === "'") return j === op.length - 1 ? out : null;
    else out += c;
  }
  return null; // unterminated
}

function parsePath(op: string): string[] | null {
  const segs: string[] = [];
  let j = 0;
  const ident = () => {
    const start = j;
    while (j < op.length && !".[]' \t\n".includes(op[j] as string)) j++;
    return op.slice(start, j);
  };
  const first = ident();
  if (!first) return null;
  segs.push(first);
  while (j < op.length) {
    const c = op[j];
    if (c === '.') {
      j++;
      const seg = ident();
      if (!seg) return null;
      segs.push(seg);
    } else if (c === '[') {
      const end = op.indexOf(']', j);
      if (end < 0) return null;
      const inner = op.slice(j + 1, end).trim();
      const seg = inner.startsWith("'") ? stringLiteral(inner) : /^[0-9]+$/.test(inner) ? inner : null;
      if (seg === null) return null;
      segs.push(seg);
      j = end + 1;
    } else {
      return null;
    }
  }
  return segs.some((s) => FORBIDDEN_KEYS.has(s)) ? null : segs;
}

const seconds = (ms: number | null | undefined) => (typeof ms === 'number' ? Math.floor(ms / 1000) : null);
const orNull = (v: string | null | undefined) => (v ? v : null);

type Resolver = (ctx: ShortcodeContext) => unknown;

const USER_FIELDS: Record<string, Resolver> = {
  id: ({ user }) => user.id,
  external_id: ({ user }) => user.external_id ?? null,
  first_name: ({ user }) => user.first_name ?? null,
  last_name: ({ user }) => user.last_name ?? null,
  full_name: ({ user }) => {
    const name = [orNull(user.first_name), orNull(user.last_name)].filter(Boolean).join(' ');
    return name || null;
  },
  username: ({ user }) => user.username ?? null,
  primary_email_address: ({ user }) => primaryEmail(user)?.email_address ?? null,
  // "primary_phone_address" is the name in Clerk's own docs example; both spellings resolve.
  primary_phone_address: ({ user }) => primaryPhone(user)?.phone_number ?? null,
  primary_phone_number: ({ user }) => primaryPhone(user)?.phone_number ?? null,
  image_url: ({ user }) => user.image_url ?? null,
  has_image: ({ user }) => user.has_image,
  created_at: ({ user }) => seconds(user.created_at),
  updated_at: ({ user }) => seconds(user.updated_at),
  last_sign_in_at: ({ user }) => seconds(user.last_sign_in_at),
  email_verified: ({ user }) => primaryEmail(user)?.verification?.status === 'verified',
  phone_number_verified: ({ user }) => primaryPhone(user)?.verification?.status === 'verified',
  two_factor_enabled: ({ user }) => user.two_factor_enabled,
};

const SESSION_FIELDS: Record<string, Resolver> = {
  id: ({ session }) => session.id,
  status: ({ session }) => session.status,
  last_active_organization_id: ({ session }) => session.last_active_organization_id ?? null,
};

function resolve(path: string[], ctx: ShortcodeContext): unknown {
  const [root, field, ...rest] = path;
  if (field === undefined) return null;
  if (root === 'user') {
    if (field === 'public_metadata') return dig(ctx.user.public_metadata, rest);
    if (field === 'unsafe_metadata') return dig(ctx.user.unsafe_metadata, rest);
    const r = Object.hasOwn(USER_FIELDS, field) ? USER_FIELDS[field] : undefined;
    return r && rest.length === 0 ? r(ctx) : null;
  }
  if (root === 'session') {
    if (field === 'actor') return dig(ctx.session.actor, rest);
    const r = Object.hasOwn(SESSION_FIELDS, field) ? SESSION_FIELDS[field] : undefined;
    return r && rest.length === 0 ? r(ctx) : null;
  }
  if (root === 'org' && field === 'id' && rest.length === 0)
    return ctx.session.last_active_organization_id ?? null;
  return null;
}

/** Walks own properties only, then deep-copies, so claims never alias (or expose the prototype of) stored data. */
function dig(value: unknown, path: string[]): unknown {
  let cur = value;
  for (const seg of path) {
    if (Array.isArray(cur)) {
      if (!/^[0-9]+$/.test(seg)) return null;
      cur = cur[Number(seg)];
    } else if (isPlainObject(cur) && Object.hasOwn(cur, seg)) {
      cur = cur[seg];
    } else {
      return null;
    }
  }
  return copyJson(cur, 0);
}

function copyJson(v: unknown, depth: number): unknown {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (depth > 64) return null; // metadata is JSON from the store; this only guards against a cycle
  if (Array.isArray(v)) return v.map((x) => copyJson(x, depth + 1));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) if (k !== '__proto__') out[k] = copyJson(v[k], depth + 1);
    return out;
  }
  return null;
}

function primaryEmail(user: UserJson) {
  return user.email_addresses?.find((e) => e.id === user.primary_email_address_id);
}

function primaryPhone(user: UserJson) {
  return user.phone_numbers?.find((p) => p.id === user.primary_phone_number_id);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
