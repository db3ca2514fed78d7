// Ids go through the query string or encodeURIComponent, so a pasted value can never change the path.

type Params = Record<string, string | number | null | undefined>;

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

export interface SessionsLink {
  userId?: string;
  clientId?: string;
  status?: string;
  limit?: number;
  offset?: number;
  look?: boolean;
}

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
  sessionsSearch: (params: Params = {}) => hrefWith('/sessions/search', params),
  userTimeline: (userId: string) => hrefWith('/sessions/timeline', { user_id: userId }),
  jobs: () => '/jobs',
  newJob: () => '/jobs/new',
  job: (jobId: string) => `/jobs/${segment(jobId)}`,
  approvals: () => '/approvals',
  approval: (approvalId: string) => `/approvals/${segment(approvalId)}`,
  audit: (params: Params = {}) => hrefWith('/audit', params),
  staff: () => '/staff',
  auditStream: () => '/audit/stream',
  outbox: (params: Params = {}) => hrefWith('/outbox', params),
  api: {
    sessions: (params: Params) => hrefWith('/api/sessions', params),
    jobs: (params: Params = {}) => hrefWith('/api/jobs', params),
    job: (jobId: string, params: Params = {}) => hrefWith(`/api/jobs/${segment(jobId)}`, params),
    jobIncident: () => '/api/jobs/incident',
    jobExport: (jobId: string) => `/api/jobs/${segment(jobId)}/export`,
    auditExport: (params: Params = {}) => hrefWith('/api/audit/export', params),
    ssfJwks: () => '/api/ssf/jwks',
    sessionsSearchExport: (params: Params = {}) => hrefWith('/api/sessions/search/export', params),
    newSessions: (userId: string, since: number) => hrefWith('/api/sessions/new', { user_id: userId, since }),
    openMints: (userId: string) => `/api/users/${segment(userId)}/open-mints`,
  },
};
