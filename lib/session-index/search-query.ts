import { z } from 'zod';
import { LIST_STATUSES } from '@/lib/vocabulary';
import { cidrRange } from './ip';
import {
  ACTIVE_WITHIN,
  DEFAULT_SEARCH_LIMIT,
  SEARCH_PAGE_SIZES,
  type SearchFilters,
  type SearchQuery,
} from './search-link';

const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = (max: number) => z.preprocess(blankToUndefined, z.string().trim().min(1).max(max).optional());

export const searchFiltersShape = {
  ip: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(64)
      .refine(
        (v) => cidrRange(v) !== null,
        'Not an IP address or CIDR range (203.0.113.7, 203.0.113.0/24, 2001:db8::/32).',
      )
      .optional(),
  ),
  country: z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'A two-letter country code, e.g. FR.')
      .transform((v) => v.toUpperCase())
      .optional(),
  ),
  city: text(100),
  device: text(64),
  browser: text(64),
  status: z.preprocess(blankToUndefined, z.enum(LIST_STATUSES).default('all')),
  within: z.preprocess(
    blankToUndefined,
    z
      .enum(Object.keys(ACTIVE_WITHIN) as [keyof typeof ACTIVE_WITHIN, ...(keyof typeof ACTIVE_WITHIN)[]])
      .optional(),
  ),
  risk: z.preprocess(blankToUndefined, z.enum(['1']).optional()),
};

export const searchFiltersInput = z.object(searchFiltersShape).strict();

const CURSOR = /^(\d{1,15}|n)\.(sess_[A-Za-z0-9]{1,64})$/;

export const searchQueryInput = z
  .object({
    ...searchFiltersShape,
    after: z.preprocess(blankToUndefined, z.string().regex(CURSOR, 'Not a page cursor.').optional()),
    limit: z.preprocess(
      blankToUndefined,
      z.coerce
        .number()
        .int()
        .refine((n) => (SEARCH_PAGE_SIZES as readonly number[]).includes(n), 'Not a page size.')
        .default(DEFAULT_SEARCH_LIMIT),
    ),
  })
  .strict();

export function toFilters(v: z.infer<typeof searchFiltersInput>): SearchFilters {
  return {
    ...(v.ip ? { ip: v.ip } : {}),
    ...(v.country ? { country: v.country } : {}),
    ...(v.city ? { city: v.city } : {}),
    ...(v.device ? { device: v.device } : {}),
    ...(v.browser ? { browser: v.browser } : {}),
    status: v.status,
    ...(v.within ? { within: v.within } : {}),
    ...(v.risk ? { risk: true } : {}),
  };
}

export function toSearchQuery(v: z.infer<typeof searchQueryInput>): SearchQuery {
  return { ...toFilters(v), limit: v.limit, ...(v.after ? { after: v.after } : {}) };
}

export type ParsedSearch = { ok: true; query: SearchQuery } | { ok: false; errors: string[] };

function single(raw: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) out[k] = v;
  return out;
}

export function parseSearchQuery(raw: Record<string, string | string[] | undefined>): ParsedSearch {
  const parsed = searchQueryInput.safeParse(single(raw));
  if (parsed.success) return { ok: true, query: toSearchQuery(parsed.data) };
  return {
    ok: false,
    errors: parsed.error.issues.map((i) =>
      i.code === 'unrecognized_keys'
        ? `Unknown filter: ${i.keys.join(', ')}.`
        : `${i.path.join('.')}: ${i.message}`,
    ),
  };
}

export function parseCursor(
  after: string | undefined,
): { lastActiveAt: number | null; sessionId: string } | null {
  const m = after ? CURSOR.exec(after) : null;
  if (!m) return null;
  return { lastActiveAt: m[1] === 'n' ? null : Number(m[1]), sessionId: m[2] as string };
}
