import 'server-only';
import type { ClerkClient, User } from '@clerk/backend';
import { z } from 'zod';
import { callClerk } from './client';
import { cachedRead } from './read-cache';
import { toClientDto, toUserDto, type ClientDto, type UserDto } from './dto';
import { ConsoleApiError, MESSAGES, invalidInput } from './errors';
import { classifySearch, clientIdSchema, sessionIdSchema, userIdSchema } from './ids';

export interface UserPage {
  data: UserDto[];
  totalCount: number;
}

const pageSchema = z.object({
  limit: z.number().int().min(1).max(500),
  offset: z.number().int().min(0).max(100_000),
});

const EMPTY: UserPage = { data: [], totalCount: 0 };

function parseId<T extends string>(schema: z.ZodType<T>, id: unknown, resource: 'user' | 'client'): T {
  const parsed = schema.safeParse(id);
  if (!parsed.success) throw invalidInput(resource);
  return parsed.data;
}

/** One cached read of Clerk's user, with when it was read (a lock's countdown is relative to that moment). */
export async function readUser(id: string): Promise<{ user: User; readAt: number }> {
  const userId = parseId(userIdSchema, id, 'user');
  return cachedRead(`user:${userId}`, async () => ({
    user: await callClerk({ write: false, resource: 'user' }, (c) => c.users.getUser(userId)),
    readAt: Date.now(),
  }));
}

export async function getUser(id: string): Promise<UserDto> {
  return toUserDto((await readUser(id)).user);
}

export async function getClient(id: string): Promise<ClientDto> {
  const clientId = parseId(clientIdSchema, id, 'client');
  return toClientDto(
    await callClerk({ write: false, resource: 'client' }, (c) => c.clients.getClient(clientId)),
  );
}

async function orEmpty(lookup: () => Promise<UserPage>): Promise<UserPage> {
  try {
    return await lookup();
  } catch (e) {
    if (e instanceof ConsoleApiError && e.kind === 'not_found') return EMPTY;
    throw e;
  }
}

function single(user: UserDto, offset: number): UserPage {
  return { data: offset === 0 ? [user] : [], totalCount: 1 };
}

type UserListParams = NonNullable<Parameters<ClerkClient['users']['getUserList']>[0]>;

async function listUsers(params: UserListParams): Promise<UserPage> {
  const res = await callClerk({ write: false, resource: 'user' }, (c) => c.users.getUserList(params));
  return { data: res.data.map((u: User) => toUserDto(u)), totalCount: res.totalCount };
}

export async function findUsers(query: string, page: { limit: number; offset: number }): Promise<UserPage> {
  const parsedPage = pageSchema.safeParse(page);
  if (!parsedPage.success) throw invalidInput('any', MESSAGES.invalidPage);
  const { limit, offset } = parsedPage.data;
  const target = classifySearch(query);
  if (!target) throw invalidInput('any', MESSAGES.emptySearch);

  switch (target.kind) {
    case 'user':
      return orEmpty(async () => single(await getUser(target.id), offset));
    case 'session':
      return orEmpty(async () => {
        const sessionId = sessionIdSchema.parse(target.id);
        const session = await callClerk({ write: false, resource: 'session' }, (c) =>
          c.sessions.getSession(sessionId),
        );
        return single(await getUser(session.userId), offset);
      });
    case 'client':
      return orEmpty(async () => {
        const client = await getClient(target.id);
        // Ids from Clerk are re-checked too: they go back out in a query string.
        const userIds = [...new Set(client.sessions.map((s) => s.userId))]
          .filter((id) => userIdSchema.safeParse(id).success)
          .slice(0, 100);
        if (userIds.length === 0) return EMPTY;
        return listUsers({ userId: userIds, limit, offset });
      });
    case 'email': {
      const exact = await listUsers({ emailAddress: [target.value], limit, offset });
      if (exact.totalCount > 0) return exact;
      return listUsers({ query: target.value, limit, offset });
    }
    case 'phone': {
      const exact = await listUsers({ phoneNumber: [target.value], limit, offset });
      if (exact.totalCount > 0) return exact;
      return listUsers({ query: target.value, limit, offset });
    }
    case 'text':
      return listUsers({ query: target.value, limit, offset });
  }
}

export interface ResolvedUser {
  user: UserDto;
  emails: string[];
  /** Addresses on the account that nobody proved: reported, never matched (anyone can add one). */
  unverifiedEmails: string[];
}

const LOOKUP_BATCH = 100;

function resolved(u: User): ResolvedUser {
  const emails: string[] = [];
  const unverifiedEmails: string[] = [];
  for (const e of Array.isArray(u.emailAddresses) ? u.emailAddresses : []) {
    if (typeof e?.emailAddress !== 'string' || !e.emailAddress) continue;
    (e.verification?.status === 'verified' ? emails : unverifiedEmails).push(e.emailAddress.toLowerCase());
  }
  return { user: toUserDto(u), emails, unverifiedEmails };
}

export async function lookUpUsers(
  q: { emails: string[]; userIds: string[] },
  onBatch?: (done: number, total: number) => void,
): Promise<ResolvedUser[]> {
  const ids = q.userIds.map((id) => parseId(userIdSchema, id, 'user'));
  const emails = q.emails.filter((e) => e.length <= 320);
  const out: ResolvedUser[] = [];
  const batches: { params: UserListParams; size: number }[] = [];
  for (let i = 0; i < emails.length; i += LOOKUP_BATCH) {
    const chunk = emails.slice(i, i + LOOKUP_BATCH);
    batches.push({ params: { emailAddress: chunk, limit: 500 }, size: chunk.length });
  }
  for (let i = 0; i < ids.length; i += LOOKUP_BATCH) {
    const chunk = ids.slice(i, i + LOOKUP_BATCH);
    batches.push({ params: { userId: chunk, limit: 500 }, size: chunk.length });
  }
  const total = emails.length + ids.length;
  let done = 0;
  for (const { params, size } of batches) {
    const res = await callClerk({ write: false, resource: 'user' }, (c) => c.users.getUserList(params));
    out.push(...res.data.map(resolved));
    done += size;
    onBatch?.(done, total);
  }
  return out;
}

export async function listRecentlyActiveUsers(q: {
  since: number;
  before: number | null;
  limit: number;
}): Promise<UserPage> {
  const parsed = pageSchema.safeParse({ limit: q.limit, offset: 0 });
  const time = (v: number) => Number.isSafeInteger(v) && v >= 0;
  if (!parsed.success || !time(q.since) || (q.before !== null && !time(q.before)))
    throw invalidInput('any', MESSAGES.invalidPage);
  return listUsers({
    orderBy: '-last_active_at',
    lastActiveAtAfter: q.since,
    ...(q.before === null ? {} : { lastActiveAtBefore: q.before }),
    limit: parsed.data.limit,
  });
}
