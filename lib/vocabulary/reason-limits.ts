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
