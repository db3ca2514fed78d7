// Per-key request limit over a SLIDING window (a log of accepted request times), like Clerk's "100 requests per
// 10 seconds" for development instances. A sliding window has no boundary burst: a client can never get 2x the
// limit by straddling two fixed windows. Refused requests are not logged, so hammering does not extend the wait.

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  private readonly logs = new Map<string, number[]>();

  /** `limit` 0 disables limiting. */
  constructor(
    readonly limit: number,
    readonly windowMs: number = 10_000,
  ) {}

  take(key: string, now: number = Date.now()): RateDecision {
    if (this.limit <= 0) return { ok: true };
    let log = this.logs.get(key);
    if (!log) {
      log = [];
      this.logs.set(key, log);
    }
    const horizon = now - this.windowMs;
    let expired = 0;
    while (expired < log.length && (log[expired] as number) <= horizon) expired++;
    if (expired > 0) log.splice(0, expired);
    if (log.length < this.limit) {
      log.push(now);
      return { ok: true };
    }
    // The oldest accepted request leaves the window first: that is when a slot frees up.
    const freesAt = (log[0] as number) + this.windowMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
  }
}
