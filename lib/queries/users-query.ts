import { PAGE_SIZES } from '@/lib/vocabulary';

export const USERS_DEFAULT_LIMIT = 25;
export const MAX_QUERY_LENGTH = 256;

export interface UsersQuery {
  query: string;
  limit: number;
  offset: number;
}

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export function parseUsersQuery(sp: SearchParams): UsersQuery {
  const query = (first(sp.query) ?? '').trim().slice(0, MAX_QUERY_LENGTH);
  const limitRaw = Number(first(sp.limit));
  const offsetRaw = Number(first(sp.offset));
  const limit = (PAGE_SIZES as readonly number[]).includes(limitRaw) ? limitRaw : USERS_DEFAULT_LIMIT;
  const offset = Number.isInteger(offsetRaw) && offsetRaw >= 0 && offsetRaw <= 100_000 ? offsetRaw : 0;
  return { query, limit, offset };
}

export function usersParams(q: UsersQuery): Record<string, string | number | undefined> {
  return {
    query: q.query || undefined,
    limit: q.limit === USERS_DEFAULT_LIMIT ? undefined : q.limit,
    offset: q.offset || undefined,
  };
}
