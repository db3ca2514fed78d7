// Sliding window (no boundary burst); refused requests are not logged, so hammering does not extend the wait.

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  private readonly logs = new Map<string, number[]>();

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
    const freesAt = (log[0] as number) + this.windowMs;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freesAt - now) / 1000)) };
  }
}
