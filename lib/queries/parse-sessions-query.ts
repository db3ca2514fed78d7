import { z } from 'zod';
import { CLIENT_ID, LIST_STATUSES, USER_ID } from '@/lib/vocabulary';
import { DEFAULT_LIMIT, DEFAULT_STATUS, type SessionsQuery } from './sessions-query';

/** The sessions URL, read by `/sessions` and `GET /api/sessions` alike: a hand-edited link is refused before any fetch. */
export const sessionsUrlQuery = z
  .object({
    user_id: z.string().regex(USER_ID, 'Not a user id (user_…).').optional(),
    client_id: z.string().regex(CLIENT_ID, 'Not a client id (client_…).').optional(),
    status: z.enum(LIST_STATUSES).default(DEFAULT_STATUS),
    limit: z.string().pipe(z.coerce.number<string>().int().min(1).max(100)).default(DEFAULT_LIMIT),
    offset: z.string().pipe(z.coerce.number<string>().int().min(0).max(100_000)).default(0),
    look: z.literal('1').optional(),
  })
  .strict()
  .refine((v) => Boolean(v.user_id) !== Boolean(v.client_id), {
    message: 'Give a user id or a client id.',
    path: ['user_id'],
  })
  .transform(
    (v): SessionsQuery => ({
      ...(v.user_id ? { userId: v.user_id } : {}),
      ...(v.client_id ? { clientId: v.client_id } : {}),
      status: v.status,
      limit: v.limit,
      offset: v.offset,
      ...(v.look ? { look: true } : {}),
    }),
  );

const PARAMS = ['user_id', 'client_id', 'status', 'limit', 'offset', 'look'] as const;

type SearchParams = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

export function parseSessionsQuery(
  sp: SearchParams,
): { ok: true; query: SessionsQuery } | { ok: false; errors: string[] } {
  const raw: Record<string, string> = {};
  for (const param of PARAMS) {
    const v = first(sp[param]);
    if (v !== undefined) raw[param] = v;
  }
  const parsed = sessionsUrlQuery.safeParse(raw);
  if (parsed.success) return { ok: true, query: parsed.data };
  const errors = [...new Set(parsed.error.issues.map((i) => describeIssue(i.path[0], i.message)))];
  return { ok: false, errors };
}

function describeIssue(field: PropertyKey | undefined, message: string): string {
  switch (field) {
    case 'status':
      return 'Unknown status filter.';
    case 'limit':
      return 'Page size must be between 1 and 100.';
    case 'offset':
      return 'Page offset must be a whole number between 0 and 100,000.';
    case 'look':
      return 'The “Needs a look” filter is look=1.';
    default:
      return message;
  }
}
