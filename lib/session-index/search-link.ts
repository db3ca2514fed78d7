import type { ListStatus } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';

// Client-safe: the search's filters, page sizes and links (the zod parser is search-query.ts).

export const ACTIVE_WITHIN = {
  '1h': 3_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
} as const;
export type ActiveWithin = keyof typeof ACTIVE_WITHIN;
export const ACTIVE_WITHIN_LABELS: Record<ActiveWithin, string> = {
  '1h': 'the last hour',
  '24h': 'the last 24 hours',
  '7d': 'the last 7 days',
  '30d': 'the last 30 days',
};

export const SEARCH_PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_SEARCH_LIMIT = 50;
/** "Revoke all matching" starts one job over at most this many active sessions (the job form's own limit). */
export const MAX_REVOKE_MATCHING = 1000;

export interface SearchFilters {
  ip?: string;
  country?: string;
  city?: string;
  device?: string;
  browser?: string;
  status: ListStatus;
  within?: ActiveWithin;
  risk?: boolean;
}

export interface SearchQuery extends SearchFilters {
  limit: number;
  after?: string;
}

export function searchParams(q: Partial<SearchQuery>): Record<string, string | number | undefined> {
  return {
    ip: q.ip,
    country: q.country,
    city: q.city,
    device: q.device,
    browser: q.browser,
    status: q.status && q.status !== 'all' ? q.status : undefined,
    within: q.within,
    risk: q.risk ? '1' : undefined,
    limit: q.limit && q.limit !== DEFAULT_SEARCH_LIMIT ? q.limit : undefined,
    after: q.after,
  };
}

export const searchHref = (q: Partial<SearchQuery>) => paths.sessionsSearch(searchParams(q));
export const searchExportHref = (f: SearchFilters) =>
  paths.api.sessionsSearchExport(searchParams({ ...f, limit: undefined, after: undefined }));

export function hasFilter(f: SearchFilters): boolean {
  return Boolean(
    f.ip || f.country || f.city || f.device || f.browser || f.within || f.risk || f.status !== 'all',
  );
}

export interface SearchRowDto {
  sessionId: string;
  userId: string;
  userName: string | null;
  userEmail: string | null;
  status: string;
  createdAt: number;
  lastActiveAt: number | null;
  endedAt: number | null;
  ip: string | null;
  city: string | null;
  country: string | null;
  deviceType: string | null;
  browserName: string | null;
  browserVersion: string | null;
  impersonated: boolean;
  signals: { kind: string; severity: string }[];
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6 = /^(?=.*:)[0-9a-f:.]{2,45}(\/\d{1,3})?$/i;

/** What the header's search box treats as an address or a network (the search page validates it properly). */
export function looksLikeIp(q: string): boolean {
  const t = q.trim();
  return IPV4.test(t) || (IPV6.test(t) && t.split(':').length >= 3);
}
