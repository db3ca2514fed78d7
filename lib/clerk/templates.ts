import 'server-only';
import { getEnv } from '@/lib/env';
import { callClerk } from './client';
import { cachedRead } from './read-cache';
import { toTemplateDto, type TemplateDto } from './dto';
import { ConsoleApiError, MESSAGES, invalidInput } from './errors';
import { templateNameSchema } from './ids';
import { parseSessionId } from './sessions';

const UPSTREAM_PAGE = 500;
const MAX_TEMPLATE_PAGES = 4;

export const MIN_TOKEN_LIFETIME_SECONDS = 30;
export const MAX_TOKEN_LIFETIME_SECONDS = 315_360_000;

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

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

export function tokenLifetimeLimit(): number {
  return Math.min(getEnv().tokenMaxLifetimeSeconds, MAX_TOKEN_LIFETIME_SECONDS);
}

const seconds = (n: number) => `${n.toLocaleString('en-US')} seconds`;

// An over-limit template is only minted with an explicit shorter expiry, chosen knowingly and audited.
export function tokenLifetimeProblem(
  template: Pick<TemplateDto, 'name' | 'lifetime'> | null,
  expiresInSeconds: number | undefined,
  limit = tokenLifetimeLimit(),
): string | null {
  if (expiresInSeconds !== undefined) {
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < MIN_TOKEN_LIFETIME_SECONDS)
      return `At least ${MIN_TOKEN_LIFETIME_SECONDS} seconds.`;
    return expiresInSeconds > limit ? `At most ${seconds(limit)} on this console.` : null;
  }
  if (template && template.lifetime > limit) {
    return `The ${template.name} template lasts ${seconds(template.lifetime)}, above this console's limit of ${seconds(limit)}: enter an expiry of at most ${limit.toLocaleString('en-US')}.`;
  }
  return null;
}

export async function findTemplate(templateName: string): Promise<TemplateDto> {
  const name = templateNameSchema.safeParse(templateName);
  if (!name.success) throw invalidInput('template');
  const found = (await listTemplates()).find((t) => t.name === name.data);
  if (!found) throw invalidInput('template', MESSAGES.unknownTemplate);
  return found;
}

// The name must be one the instance lists, so a crafted name never reaches the token endpoint.
export async function createTokenFromTemplate(
  sessionId: string,
  templateOrName: string | TemplateDto,
  expiresInSeconds?: number,
): Promise<{ jwt: string }> {
  const id = parseSessionId(sessionId);
  const templateName = typeof templateOrName === 'string' ? templateOrName : templateOrName.name;
  if (!templateNameSchema.safeParse(templateName).success) throw invalidInput('template');
  const limit = tokenLifetimeLimit();
  if (expiresInSeconds !== undefined && tokenLifetimeProblem(null, expiresInSeconds, limit)) {
    throw invalidInput(
      'any',
      `The lifetime must be a whole number of seconds from ${MIN_TOKEN_LIFETIME_SECONDS} to ${limit}.`,
    );
  }
  const template = typeof templateOrName === 'string' ? await findTemplate(templateName) : templateOrName;
  const problem = tokenLifetimeProblem(template, expiresInSeconds, limit);
  if (problem) throw invalidInput('any', problem);
  const name = { data: template.name };

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
