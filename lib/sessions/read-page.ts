import 'server-only';
import { getClient, listSessions, type ClientDto, type SessionDto, type UserDto } from '@/lib/clerk';
import { getUserWithAccountState, type AccountStateDto } from '@/lib/clerk/account';
import { countryName } from '@/lib/risk/countries';
import {
  getUserRisk,
  listSessionsNeedingALook,
  sessionsPageFromRisk,
  signalsBySession,
  type UserRisk,
} from '@/lib/risk/server';
import type { SessionsQuery } from '@/lib/queries/sessions-query';
import type { SessionsPage, SessionsRisk } from './sessions-page';

export interface SessionsPageRead {
  /** The user's risk read, or null: a failed risk read costs the badges, never the list. */
  risk: Promise<UserRisk | null>;
  list: Promise<SessionsPage>;
}

/** What `/sessions` and `GET /api/sessions` both read, so a poll refreshes the rows and their badges alike. */
export function readSessionsPage(query: SessionsQuery): SessionsPageRead {
  const risk = query.userId ? getUserRisk(query.userId).catch(() => null) : Promise.resolve(null);
  return { risk, list: readList(query, risk) };
}

async function readList(query: SessionsQuery, riskRead: Promise<UserRisk | null>): Promise<SessionsPage> {
  // Where the risk read holds the page, the list is cut from it instead of asking Clerk twice.
  const fromRisk = query.userId && !query.look ? await riskRead : null;
  const cut = fromRisk ? sessionsPageFromRisk(fromRisk, query) : null;
  const page =
    cut ??
    (query.look && query.userId
      ? await listSessionsNeedingALook({ ...query, userId: query.userId })
      : await listSessions(query));
  const risk = rowsRisk(await riskRead, page.data);
  return {
    data: page.data,
    totalCount: page.totalCount,
    fetchedAt: fromRisk && cut ? fromRisk.computedAt : Date.now(),
    ...(risk ? { risk } : {}),
  };
}

function rowsRisk(risk: UserRisk | null, rows: SessionDto[]): SessionsRisk | null {
  if (!risk) return null;
  const countryNames: Record<string, string> = {};
  for (const s of rows) {
    const code = s.latestActivity?.country;
    if (code && !(code in countryNames)) {
      const name = countryName(code);
      if (name && name !== code) countryNames[code] = name;
    }
  }
  return {
    signals: signalsBySession(
      risk,
      rows.map((s) => s.id),
    ),
    countryNames,
  };
}

export type SessionsSubjectRead =
  | { kind: 'user'; user: UserDto; state: AccountStateDto; readAt: number }
  | { kind: 'client'; client: ClientDto };

/** The page's header: the user (with the account's state) or the client whose sessions are listed. */
export async function readSessionsSubject(query: SessionsQuery): Promise<SessionsSubjectRead> {
  return query.userId
    ? { kind: 'user', ...(await getUserWithAccountState(query.userId)) }
    : { kind: 'client', client: await getClient(query.clientId!) };
}
