// Client-safe (no zod); lib/sessions/inputs.ts builds the server's schemas from these values.
export const SESSION_ID = /^sess_[A-Za-z0-9]{1,64}$/;
export const USER_ID = /^user_[A-Za-z0-9]{1,64}$/;
export const CLIENT_ID = /^client_[A-Za-z0-9]{1,64}$/;
export const TEMPLATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

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

export const REASON_MIN = 3;
export const REASON_MAX = 500;
export const REASON_TOO_SHORT = 'Give a reason (at least 3 characters).';
export const REASON_TOO_LONG = 'Keep the reason under 500 characters.';

export function checkReason(raw: string): { ok: true; reason: string } | { ok: false; message: string } {
  const reason = raw.trim();
  if (reason.length < REASON_MIN) return { ok: false, message: REASON_TOO_SHORT };
  if (reason.length > REASON_MAX) return { ok: false, message: REASON_TOO_LONG };
  return { ok: true, reason };
}
