// Client-safe: the one-time key every write form sends with its request (see lib/actions/idempotency.ts).

/** The input field the key travels in; staffAction takes it out before the action's own schema sees the input. */
export const REQUEST_KEY_FIELD = 'idempotencyKey';

/** Random enough that two requests never share one by chance; suffixes (`…-b3`) name the batches of one run. */
export const REQUEST_KEY = /^[A-Za-z0-9_-]{16,100}$/;

/** A new v4 UUID, also where crypto.randomUUID is missing (it needs a secure context; plain-http origins). */
export function newRequestKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
