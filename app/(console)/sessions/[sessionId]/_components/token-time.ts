/**
 * Time arithmetic for a freshly minted JWT: the template lifetime label, and the live expiry countdown.
 * Pure functions (no React), so the formatting is unit tested and the component only ticks a clock.
 */

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function amount(n: number, unit: string): string {
  return `${n} ${unit}`;
}

/** A template lifetime as an operator reads it: 60 → "1 min", 3600 → "1 h", 5400 → "1 h 30 min", 86400 → "1 d". */
export function formatLifetime(totalSeconds: number): string {
  if (!Number.isFinite(totalSeconds) || totalSeconds <= 0) return 'unknown lifetime';
  const s = Math.floor(totalSeconds);
  const parts: string[] = [];
  const d = Math.floor(s / DAY);
  const h = Math.floor((s % DAY) / HOUR);
  const m = Math.floor((s % HOUR) / MINUTE);
  const sec = s % MINUTE;
  if (d) parts.push(amount(d, 'd'));
  if (h) parts.push(amount(h, 'h'));
  if (m) parts.push(amount(m, 'min'));
  if (sec) parts.push(amount(sec, 's'));
  // Three units are plenty for a label ("1 d 2 h 3 min"); the exact figure is in the title attribute.
  return parts.slice(0, 3).join(' ');
}

export interface TokenClock {
  /** `iat` claim, seconds since the epoch (server clock), if present. */
  iat: number | null;
  /** `exp` claim, seconds since the epoch (server clock). */
  exp: number;
  /** When the browser received the token (browser clock, ms). */
  receivedAtMs: number;
}

/** Reads `iat` / `exp` from decoded claims; null when the token has no usable `exp`. */
export function tokenClockFromClaims(
  claims: Record<string, unknown>,
  receivedAtMs: number,
): TokenClock | null {
  const exp = claims.exp;
  if (typeof exp !== 'number' || !Number.isFinite(exp)) return null;
  const iat =
    typeof claims.iat === 'number' && Number.isFinite(claims.iat) && claims.iat <= exp ? claims.iat : null;
  return { iat, exp, receivedAtMs };
}

/**
 * Whole seconds left before the token expires (negative once expired). When `iat` is known we count the
 * token's own lifetime (exp - iat) down from the moment it arrived, so a browser whose clock is off by minutes
 * still shows the right figure; only without `iat` do we fall back to comparing `exp` with the local clock.
 */
export function secondsRemaining(clock: TokenClock, nowMs: number): number {
  if (clock.iat !== null) {
    const elapsed = (nowMs - clock.receivedAtMs) / 1000;
    return Math.floor(clock.exp - clock.iat - elapsed);
  }
  return Math.floor(clock.exp - nowMs / 1000);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** "Expires in 59:58", "Expires in 1:00:00", "Expires in 2 d 03:04:05", or "Expired". */
export function formatCountdown(remainingSeconds: number): string {
  if (remainingSeconds <= 0) return 'Expired';
  const s = Math.floor(remainingSeconds);
  const d = Math.floor(s / DAY);
  const h = Math.floor((s % DAY) / HOUR);
  const m = Math.floor((s % HOUR) / MINUTE);
  const sec = s % MINUTE;
  const clock = h || d ? `${d ? pad(h) : h}:${pad(m)}:${pad(sec)}` : `${m}:${pad(sec)}`;
  return `Expires in ${d ? `${d} d ` : ''}${clock}`;
}

/**
 * A browser-side check of the optional "Expires in (seconds)" field, for input the server's schema can only call
 * "Invalid input" (letters, decimals, signs). The range is left to the server, which owns the limits.
 */
export function expiryInputProblem(text: string): string | null {
  const v = text.trim();
  if (!v) return null;
  return /^\d{1,12}$/.test(v) ? null : 'Enter a whole number of seconds, or leave it empty.';
}
