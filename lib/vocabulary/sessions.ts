export const LIST_STATUSES = [
  'active',
  'pending',
  'revoked',
  'ended',
  'expired',
  'removed',
  'abandoned',
  'replaced',
  'all',
] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export type SessionStatus = Exclude<ListStatus, 'all'>;
export const SESSION_STATUSES: readonly SessionStatus[] = LIST_STATUSES.filter(
  (s): s is SessionStatus => s !== 'all',
);
export const PAGE_SIZES = [10, 25, 50, 100] as const;
