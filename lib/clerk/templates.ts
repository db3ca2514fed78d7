import 'server-only';
import { z } from 'zod';
import { cachedRead, callClerk } from './client';
import { toTemplateDto, type TemplateDto } from './dto';
import { ConsoleApiError, MESSAGES, invalidInput } from './errors';
import { templateNameSchema } from './ids';
import { parseSessionId } from './sessions';

const UPSTREAM_PAGE = 500;
const MAX_TEMPLATE_PAGES = 4;

export const MIN_TOKEN_LIFETIME_SECONDS = 30;
export const MAX_TOKEN_LIFETIME_SECONDS = 315_360_000;

const expirySchema = z.number().int().min(MIN_TOKEN_LIFETIME_SECONDS).max(MAX_TOKEN_LIFETIME_SECONDS);
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** Every JWT template of the instance (they are few; paged defensively). */
export function listTemplates(): Promise<TemplateDto[]> {
  return cachedRead('templates', readTemplates);
}

async function readTemplates(): Promise<TemplateDto[]> {
  const out: TemplateDto[] = [];
  for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
    const res = await callClerk({ write: false, resource: 'template' }, (c) =>
      c.jwtTemplates.list({ limit: UPSTREAM_PAGE, offset: page * UPSTREAM_PAGE }),
    );
    out.push(...res.data.map(toTemplateDto));
    if (res.data.length < UPSTREAM_PAGE || out.length >= res.totalCount) break;
  }
  return out;
}

/**
 * Mints a JWT from a named template for an active session. The name must be one the instance lists (checked
 * before any token request), so a crafted name can't reach the token endpoint. Minting is a write: not retried,
 * and a lost answer is an unknown outcome (a token may exist).
 */
export async function createTokenFromTemplate(
  sessionId: string,
  templateName: string,
  expiresInSeconds?: number,
): Promise<{ jwt: string }> {
  const id = parseSessionId(sessionId);
  const name = templateNameSchema.safeParse(templateName);
  if (!name.success) throw invalidInput('template');
  if (expiresInSeconds !== undefined && !expirySchema.safeParse(expiresInSeconds).success) {
    throw invalidInput(
      'any',
      `The lifetime must be a whole number of seconds from ${MIN_TOKEN_LIFETIME_SECONDS} to ${MAX_TOKEN_LIFETIME_SECONDS}.`,
    );
  }
  const templates = await listTemplates();
  if (!templates.some((t) => t.name === name.data)) throw invalidInput('template', MESSAGES.unknownTemplate);

  let token: { jwt: string };
  try {
    token = await callClerk({ write: true, resource: 'session' }, (c) =>
      c.sessions.getToken(id, name.data, expiresInSeconds),
    );
  } catch (e) {
    if (e instanceof ConsoleApiError && e.kind === 'not_found') {
      throw new ConsoleApiError({
        kind: 'not_found',
        userMessage: MESSAGES.tokenSessionInactive,
        traceId: e.traceId,
        status: e.status,
        clerkCode: e.clerkCode,
      });
    }
    throw e;
  }
  if (typeof token?.jwt !== 'string' || token.jwt.length > 16_384 || !COMPACT_JWS.test(token.jwt)) {
    throw new ConsoleApiError({ kind: 'unknown', userMessage: MESSAGES.unexpected });
  }
  return { jwt: token.jwt };
}
