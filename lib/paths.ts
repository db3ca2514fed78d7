/**
 * Every console URL, built in one place: pages, redirects and the GET routes the browser reads. Client-safe.
 * Ids go through the query string or encodeURIComponent, so a pasted value can never change the path.
 */

type Params = Record<string, string | number | null | undefined>;

/**
 * `pathname?query` with the given params replaced; null/undefined/'' values (and defaults the caller passes
 * as undefined) are dropped so links stay short and canonical.
 */
export function hrefWith(pathname: string, params: Params, changes: Params = {}): string {
  const merged = { ...params, ...changes };
  const qs = new URLSearchParams();
  for (const [key, value] of Object.entries(merged)) {
    if (value === null || value === undefined || value === '') continue;
    qs.set(key, String(value));
  }
  const query = qs.toString();
  return query ? `${pathname}?${query}` : pathname;
}

/** A sessions list as its URL states it; the caller leaves defaults out (see sessionsParams). */
export interface SessionsLink {
  userId?: string;
  clientId?: string;
  status?: string;
  limit?: number;
  offset?: number;
  look?: boolean;
}

/** The query string of a sessions list, in the order every link has always used. */
export function sessionsLinkParams(v: SessionsLink): Params {
  return {
    user_id: v.userId,
    client_id: v.clientId,
    status: v.status,
    limit: v.limit,
    offset: v.offset || undefined,
    look: v.look ? '1' : undefined,
  };
}

const segment = encodeURIComponent;

export const paths = {
  home: () => '/',
  signIn: (callbackUrl?: string) =>
    callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : '/sign-in',
  search: () => '/search',
  users: (query?: string) => hrefWith('/users', { query }),
  sessions: (v: SessionsLink = {}) => hrefWith('/sessions', sessionsLinkParams(v)),
  userSessions: (userId: string, v: Omit<SessionsLink, 'userId' | 'clientId'> = {}) =>
    paths.sessions({ ...v, userId }),
  clientSessions: (clientId: string, v: Omit<SessionsLink, 'userId' | 'clientId'> = {}) =>
    paths.sessions({ ...v, clientId }),
  session: (sessionId: string) => `/sessions/${segment(sessionId)}`,
  jobs: () => '/jobs',
  newJob: () => '/jobs/new',
  job: (jobId: string) => `/jobs/${segment(jobId)}`,
  /** The audit log; `params` are its filters (see auditSearchParams). */
  audit: (params: Params = {}) => hrefWith('/audit', params),
  staff: () => '/staff',
  api: {
    sessions: (params: Params) => hrefWith('/api/sessions', params),
    jobs: (params: Params = {}) => hrefWith('/api/jobs', params),
    job: (jobId: string, params: Params = {}) => hrefWith(`/api/jobs/${segment(jobId)}`, params),
    jobIncident: () => '/api/jobs/incident',
    jobExport: (jobId: string) => `/api/jobs/${segment(jobId)}/export`,
    auditExport: (params: Params = {}) => hrefWith('/api/audit/export', params),
  },
};
