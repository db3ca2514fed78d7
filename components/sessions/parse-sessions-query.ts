import { listSessionsInput } from '@/lib/sessions/inputs';
import type { SessionsQuery } from './sessions-query';

type SearchParams = Record<string, string | string[] | undefined>;

function first(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** The schema GET /api/sessions uses, so a hand-edited link is refused before anything is fetched. */
export function parseSessionsQuery(
  sp: SearchParams,
): { ok: true; query: SessionsQuery } | { ok: false; errors: string[] } {
  const raw: Record<string, string> = {};
  const map = {
    userId: 'user_id',
    clientId: 'client_id',
    status: 'status',
    limit: 'limit',
    offset: 'offset',
    look: 'look',
  } as const;
  for (const [key, param] of Object.entries(map)) {
    const v = first(sp[param]);
    if (v !== undefined) raw[key] = v;
  }
  const parsed = listSessionsInput.safeParse(raw);
  if (!parsed.success) {
    const errors = [...new Set(parsed.error.issues.map((i) => describeIssue(i.path[0], i.message)))];
    return { ok: false, errors };
  }
  const q = parsed.data;
  return {
    ok: true,
    query: {
      ...(q.userId ? { userId: q.userId } : {}),
      ...(q.clientId ? { clientId: q.clientId } : {}),
      status: q.status,
      limit: q.limit,
      offset: q.offset,
      ...(q.look ? { look: true } : {}),
    },
  };
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
