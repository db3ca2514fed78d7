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
export const PAGE_SIZES = [10, 25, 50, 100] as const;
