import { clerkError } from '../errors';
import { ID_PREFIX } from '../ids';
import { publicJwks, signSessionToken, signTemplateToken } from '../tokens';
import type { SessionJson, SessionStatus } from '../types';
import { boolParam, jsonBody, jsonType, paging, pathId, throwError, type Call } from './request';

const TOKEN_LIFETIME = { min: 30, max: 315_360_000 } as const;
const LIVE: ReadonlySet<SessionStatus> = new Set(['active', 'pending']);

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

/** The session a token is minted for: it must exist and be live (a signed-out session gets a 404, as on Clerk). */
function liveSession(c: Call, id: string): SessionJson {
  const session = c.ctx.store.getSession(id);
  if (!session || !LIVE.has(session.status)) throw clerkError.sessionNotFound(id);
  return session;
}

export async function createSessionToken(c: Call): Promise<unknown> {
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

export async function createTemplateToken(c: Call): Promise<unknown> {
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

export function listTemplates({ ctx, query: q }: Call): unknown {
  const { limit, offset } = paging(q);
  const paginated = boolParam(q, 'paginated') ?? false;
  const data = ctx.store.listTemplates(limit, offset);
  return paginated ? { data, total_count: ctx.store.countTemplates() } : data;
}

export function getTemplate(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.jwtTemplate);
  return c.ctx.store.getTemplateById(id) ?? throwError(clerkError.jwtTemplateNotFound('id', id));
}

export function jwks({ ctx }: Call): unknown {
  return publicJwks(ctx.key);
}
