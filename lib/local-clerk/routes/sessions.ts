import { clerkError } from '../errors';
import { ID_PREFIX, isId, newId } from '../ids';
import type { SessionFilter } from '../store';
import { SESSION_FILTER_STATUSES, type SessionJson, type SessionStatus } from '../types';
import {
  boolParam,
  clip,
  jsonBody,
  jsonType,
  JsonText,
  paging,
  pathId,
  throwError,
  type Call,
} from './request';

const SESSION_LIFETIME_MS = 7 * 24 * 3600 * 1000;
const ABANDON_AFTER_MS = 30 * 24 * 3600 * 1000;

export function listSessions({ ctx, query: q }: Call): unknown {
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

export function getSession(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.session);
  return c.ctx.store.getSession(id) ?? throwError(clerkError.sessionNotFound(id));
}

export async function revokeSession(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.session);
  await jsonBody(c.req, []);
  const result = c.ctx.store.revokeSession(id, Date.now());
  if (result.ok) return result.session;
  throw result.reason === 'not_found'
    ? clerkError.sessionNotFound(id)
    : clerkError.invalidActionForSession('revoke', id);
}

export async function createSession(c: Call): Promise<unknown> {
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
