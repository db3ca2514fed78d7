import 'server-only';
import { cleanText } from '@/lib/db/values';
import type { AuditActor, AuditDetails, AuditRequestContext, AuditTarget } from '@/lib/audit/types';
import { isRole } from '@/lib/vocabulary';

export const LIMITS = {
  reason: 500,
  userAgent: 300,
  ip: 64,
  email: 254,
  id: 128,
  code: 100,
  traceId: 200,
  template: 100,
  jti: 200,
  detailString: 500,
  detailsJson: 8_000,
} as const;

const REDACTED = '[redacted]';
// Keys whose values are secrets by name. tokenJti / tokenSha256 are the sanctioned way to identify a token.
const SECRET_KEY =
  /^(token|jwt|password|passwd|secret|secretkey|apikey|api_key|authorization|cookie|session_token)$|(password|secret|token)$/i;
// Values that are secrets by shape, wherever they hide: a JWT, a Clerk secret key.
const JWT = /eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const CLERK_SECRET = /sk_(?:test|live)_[A-Za-z0-9]+/g;

function scrub(text: string): string {
  return text.replace(JWT, REDACTED).replace(CLERK_SECRET, REDACTED);
}

export function cleanString(value: unknown, max: number, keepLineBreaks = false): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  return cleanText(scrub(String(value)), max, { keepLineBreaks });
}

function cleanValue(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return cleanString(value, LIMITS.detailString, true);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (depth >= 3) return null;
  if (Array.isArray(value)) return value.slice(0, 50).map((v) => cleanValue(v, depth + 1));
  if (typeof value === 'object') return cleanObject(value as Record<string, unknown>, depth + 1);
  return null;
}

function cleanObject(obj: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(obj).slice(0, 50)) {
    const k = cleanText(key, 64) ?? '';
    if (!k || k === '__proto__') continue;
    out[k] = SECRET_KEY.test(k) ? REDACTED : cleanValue(value, depth);
  }
  return out;
}

function intOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}

export function cleanDetails(details: AuditDetails | undefined): AuditDetails {
  if (!details) return {};
  const out = cleanObject(details, 0) as AuditDetails;
  if ('reason' in details) out.reason = cleanString(details.reason, LIMITS.reason, true);
  if ('template' in details) out.template = cleanString(details.template, LIMITS.template);
  if ('expiresInSeconds' in details) out.expiresInSeconds = intOrNull(details.expiresInSeconds);
  if ('count' in details) out.count = intOrNull(details.count);
  if ('tokenJti' in details) out.tokenJti = cleanString(details.tokenJti, LIMITS.jti);
  if ('tokenSha256' in details) {
    const sha = typeof details.tokenSha256 === 'string' ? details.tokenSha256.toLowerCase() : null;
    out.tokenSha256 = sha && /^[0-9a-f]{64}$/.test(sha) ? sha : null;
  }
  return out;
}

export function detailsToJson(details: AuditDetails): string {
  const json = JSON.stringify(details);
  if (json.length <= LIMITS.detailsJson) return json;
  // Keep the fields the audit page shows; drop the rest rather than the row.
  const { reason, template, expiresInSeconds, tokenJti, tokenSha256, count } = details;
  return JSON.stringify({
    reason,
    template,
    expiresInSeconds,
    tokenJti,
    tokenSha256,
    count,
    truncated: true,
  });
}

export function parseDetails(json: string | null): AuditDetails {
  if (!json) return {};
  try {
    const parsed: unknown = JSON.parse(json);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AuditDetails) : {};
  } catch {
    return {};
  }
}

export function cleanActor(actor: AuditActor): AuditActor {
  return {
    staffId: cleanString(actor.staffId, LIMITS.id),
    email: cleanString(actor.email, LIMITS.email)?.trim().toLowerCase() || 'unknown',
    role: isRole(actor.role) ? actor.role : null,
  };
}

export function cleanTarget(target: AuditTarget | undefined): Required<AuditTarget> {
  return {
    sessionId: cleanString(target?.sessionId, LIMITS.id),
    userId: cleanString(target?.userId, LIMITS.id),
    clientId: cleanString(target?.clientId, LIMITS.id),
  };
}

export function cleanContext(ctx: AuditRequestContext | undefined): AuditRequestContext {
  return {
    ip: cleanString(ctx?.ip, LIMITS.ip),
    userAgent: cleanString(ctx?.userAgent, LIMITS.userAgent),
  };
}
