import 'server-only';
import { listSessions } from '@/lib/clerk';
import type { SessionActivityDto, SessionDto } from '@/lib/clerk/dto';
import { getDb } from '@/lib/db';
import { getUserRisk } from '@/lib/risk/server';
import { sessionIndex } from '@/lib/session-index/store';
import type { IndexedSession } from '@/lib/session-index/types';

export type ActivitySource = 'session' | 'index' | 'list';

export interface DetailActivity {
  activity: SessionActivityDto | null;
  source: ActivitySource | null;
}

export interface ActivityDeps {
  indexed(sessionId: string): Promise<IndexedSession | null>;
  userSessions(userId: string): Promise<readonly SessionDto[]>;
}

const LIST_LIMIT = 100;

function fromIndex(row: IndexedSession | null): SessionActivityDto | null {
  if (!row || !(row.ip || row.city || row.country || row.deviceType || row.browserName)) return null;
  return {
    deviceType: row.deviceType,
    browserName: row.browserName,
    browserVersion: row.browserVersion,
    isMobile: Boolean(row.isMobile),
    ipAddress: row.ip,
    city: row.city,
    country: row.country,
  };
}

export const defaultActivityDeps: ActivityDeps = {
  indexed: async (id) => sessionIndex(await getDb()).get(id),
  async userSessions(userId) {
    const risk = await getUserRisk(userId).catch(() => null);
    if (risk && risk.source !== 'index') return risk.sessions;
    return (await listSessions({ userId, status: 'all', limit: LIST_LIMIT, offset: 0 })).data;
  },
};

// GET /v1/sessions/{id} sometimes answers without latest_activity where the list has it (clerk-sdk-python#120):
// the detail then takes it from the index, else from the user's list, and says which.
export async function detailActivity(
  session: SessionDto,
  deps: ActivityDeps = defaultActivityDeps,
): Promise<DetailActivity> {
  if (session.latestActivity) return { activity: session.latestActivity, source: 'session' };
  const indexed = fromIndex(await deps.indexed(session.id).catch(() => null));
  if (indexed) return { activity: indexed, source: 'index' };
  const listed = (await deps.userSessions(session.userId).catch(() => [])).find((s) => s.id === session.id);
  if (listed?.latestActivity) return { activity: listed.latestActivity, source: 'list' };
  return { activity: null, source: null };
}
