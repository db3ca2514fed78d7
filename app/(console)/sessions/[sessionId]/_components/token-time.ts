const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function amount(n: number, unit: string): string {
  return `${n} ${unit}`;
}

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
  iat: number | null;
  exp: number;
  receivedAtMs: number;
}

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

/** Counts exp - iat down from arrival, so a skewed browser clock doesn't matter; without iat, the local clock. */
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

/** Catches what the server schema can only call "Invalid input"; the range stays the server's to check. */
export function expiryInputProblem(text: string): string | null {
  const v = text.trim();
  if (!v) return null;
  return /^\d{1,12}$/.test(v) ? null : 'Enter a whole number of seconds, or leave it empty.';
}
