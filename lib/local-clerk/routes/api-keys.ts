// Clerk's API-key service answers validation errors as 400 `bad_request` "Invalid '<where>': <why>", not 422s.
import { createHash, randomBytes } from 'node:crypto';
import { clerkError } from '../errors';
import type { ApiKeyJson } from '../types';
import { boolParam, clip, jsonBody, jsonType, throwError, type Call, type Route } from './request';

const KEY_ID = /^(ak|api_key)_[0-9A-Fa-f]{32}$/;
const SUBJECT = /^(user|org|mch|scim)_\w{27}$/;
const CREATED_BY = /^user_\w{27}$/;
const NAME = /^(\S(.*\S)?)?$/;
const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 10;

const invalid = (where: string, why: string) => clerkError.apiKeyBadRequest(`Invalid '${where}': ${why}`);

function keyId(c: Call): string {
  const id = c.params[0] ?? '';
  if (!KEY_ID.test(id)) throw invalid('url_parameter.apiKeyID', 'Failed regex check');
  return id;
}

function numberParam(q: URLSearchParams, name: string, fallback: number, min: number, max?: number): number {
  const raw = q.get(name);
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!/^\d{1,9}$/.test(raw) || n < min || (max !== undefined && n > max))
    throw invalid(
      `query.${name}`,
      max === undefined ? `Must be >= ${min}` : `Must be between ${min} and ${max}`,
    );
  return n;
}

function listApiKeys({ ctx, query: q }: Call): unknown {
  const subject = q.get('subject') ?? '';
  if (!subject) throw invalid('query.subject', 'Required');
  if (!SUBJECT.test(subject)) throw invalid('query.subject', 'Failed regex check');
  const type = q.get('type') || 'api_key';
  if (type.length < 3) throw invalid('query.type', 'Too short');
  const includeRaw = q.get('include_invalid');
  if (includeRaw && includeRaw !== 'true' && includeRaw !== 'false')
    throw invalid('query.include_invalid', "Must be 'true' or 'false'");
  const limit = numberParam(q, 'limit', DEFAULT_LIMIT, 1, MAX_LIMIT);
  const offset = numberParam(q, 'offset', 0, 0);
  return ctx.store.account.listApiKeys(
    {
      subject,
      type,
      includeInvalid: boolParam(q, 'include_invalid') ?? false,
      query: q.get('query') || undefined,
    },
    limit,
    offset,
    Date.now(),
  );
}

function getApiKey(c: Call): unknown {
  const id = keyId(c);
  return c.ctx.store.account.getApiKey(id, Date.now()) ?? throwError(clerkError.apiKeyNotFound(id));
}

async function revokeApiKey(c: Call): Promise<unknown> {
  const id = keyId(c);
  const body = await jsonBody(c.req, ['revocation_reason']);
  const reason = body.revocation_reason ?? null;
  if (reason !== null && typeof reason !== 'string')
    throw invalid('body.revocation_reason', `Expected string, received ${jsonType(reason)}`);
  return (
    c.ctx.store.account.revokeApiKey(id, reason === null ? null : clip(reason, 255), Date.now()) ??
    throwError(clerkError.apiKeyNotFound(id))
  );
}

const CREATE_FIELDS = [
  'type',
  'name',
  'description',
  'subject',
  'claims',
  'scopes',
  'created_by',
  'seconds_until_expiration',
] as const;

function optionalString(body: Record<string, unknown>, field: string): string | null {
  const v = body[field];
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(`body.${field}`, `Expected string, received ${jsonType(v)}`);
  return v;
}

async function createApiKey(c: Call): Promise<unknown> {
  const body = await jsonBody(c.req, CREATE_FIELDS);
  const name = optionalString(body, 'name');
  if (name === null) throw invalid('body.name', 'Required');
  if (name.length < 3 || !NAME.test(name)) throw invalid('body.name', 'Failed regex check');
  const subject = optionalString(body, 'subject');
  if (subject === null) throw invalid('body.subject', 'Required');
  if (!SUBJECT.test(subject)) throw invalid('body.subject', 'Failed regex check');
  // The embedded API keeps users only: a key for an organization or machine has no owner here.
  if (!subject.startsWith('user_') || !c.ctx.store.getUser(subject))
    throw invalid('body.subject', `No user was found with id ${clip(subject)}`);
  const type = optionalString(body, 'type') ?? 'api_key';
  if (type.length < 3 || type.length > 25) throw invalid('body.type', 'Must be 3 to 25 characters');
  const description = optionalString(body, 'description');
  if (description !== null && description.length > 255) throw invalid('body.description', 'Too long');
  const createdBy = optionalString(body, 'created_by');
  if (createdBy !== null && !CREATED_BY.test(createdBy))
    throw invalid('body.created_by', 'Failed regex check');
  const claims = body.claims ?? null;
  if (claims !== null && (typeof claims !== 'object' || Array.isArray(claims)))
    throw invalid('body.claims', `Expected object, received ${jsonType(claims)}`);
  const scopes = body.scopes ?? [];
  if (!Array.isArray(scopes) || scopes.some((s) => typeof s !== 'string'))
    throw invalid('body.scopes', 'Expected an array of strings');
  const ttl = body.seconds_until_expiration ?? null;
  if (ttl !== null && (typeof ttl !== 'number' || !Number.isFinite(ttl) || ttl <= 0))
    throw invalid('body.seconds_until_expiration', 'Must be a number greater than 0');

  const now = Date.now();
  const secret = `ak_${randomBytes(24).toString('hex')}`;
  const key: ApiKeyJson = {
    object: 'api_key',
    id: `ak_${randomBytes(16).toString('hex')}`,
    type,
    subject,
    name,
    description,
    claims: claims as Record<string, unknown> | null,
    scopes: scopes as string[],
    revoked: false,
    revocation_reason: null,
    expired: false,
    expiration: ttl === null ? null : now + Math.round(ttl * 1000),
    created_by: createdBy,
    last_used_at: null,
    created_at: now,
    updated_at: now,
  };
  c.ctx.store.account.insertApiKey(key, createHash('sha256').update(secret).digest('hex'));
  // The only answer that carries the secret: the store keeps its digest.
  return { ...key, secret };
}

export const API_KEY_ROUTES: Route[] = [
  { method: 'GET', pattern: /^\/v1\/api_keys$/, handler: listApiKeys },
  { method: 'POST', pattern: /^\/v1\/api_keys$/, handler: createApiKey },
  { method: 'GET', pattern: /^\/v1\/api_keys\/([^/]+)$/, handler: getApiKey },
  { method: 'POST', pattern: /^\/v1\/api_keys\/([^/]+)\/revoke$/, handler: revokeApiKey },
];
