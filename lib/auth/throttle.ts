import 'server-only';
import {
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { driverOf, type Db } from '@/lib/db';
import { throttleIpKey } from '@/lib/client-address';

export { throttleIpKey };

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
  /** Which limit refused the attempt. */
  scope?: 'account' | 'address' | 'global' | 'step_up';
  /** The attempt came from a browser this account signed in from before: the shared limits were not applied. */
  trustedDevice?: boolean;
  /** Wait this long before checking the password: the account is under attack from elsewhere. */
  delayMs?: number;
}

export interface SignInLimitOptions {
  /** Attempts per account from one source (IPv4 address or IPv6 /64) per window. */
  maxPerAccount?: number;
  maxPerIp?: number;
  windowSeconds?: number;
  maxPerMinute?: number;
  /** Failed attempts per device cookie per window; past it the browser is treated as unknown. */
  maxPerDevice?: number;
  /** Attempts on one account from unknown browsers, all sources together, before each further one is slowed. */
  slowAfter?: number;
  slowDelayMs?: number;
}

const TABLE = 'auth_rate_limits';

/** A fixed-window limiter kept in the console's own database, so every instance on it shares the count. */
function limiter(db: Db, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  const driver = driverOf(db);
  const common = { keyPrefix, points, duration, tableName: TABLE, tableCreated: true };
  // Expired rows are cleared by one limiter only: they share the table.
  const clearExpiredByTimeout = keyPrefix === 'signin_all';
  return driver.engine === 'postgres'
    ? new RateLimiterPostgres({
        ...common,
        storeClient: driver.client,
        storeType: 'pool',
        clearExpiredByTimeout,
      })
    : new RateLimiterSQLite({
        ...common,
        storeClient: driver.client,
        storeType: 'better-sqlite3',
        clearExpiredByTimeout,
      });
}

function refusedFor(e: unknown): RateLimiterRes | null {
  if (e instanceof RateLimiterRes) return e;
  // A database failure is not a verdict: the caller fails closed on it.
  throw e;
}

const retryAfter = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/**
 * Sign-in limits (OWASP's device-cookie pattern), in the store (rate-limiter-flexible's SQLite and PostgreSQL
 * limiters on the console's database). A browser holding a valid device cookie for the account (see
 * device-cookie.ts) is checked only against that cookie's own small failure limit, so nobody else's failures can
 * keep the member out of their own browser. Any other attempt is limited per (account, source), per source and
 * overall per minute, and is slowed, never refused, once the account has many attempts from everywhere: an
 * attacker locks out only their own sources. `check()` spends the attempt before the password is verified, so a
 * burst of parallel guesses cannot all slip in before the first failure is counted. An attempt refused by one limit
 * is given back to the limits before it. A success clears the account's count for that source and gives the source
 * its attempt back (a recognised browser's success resets only that browser's count); the overall cap counts every attempt from unknown browsers (it bounds the
 * password hashing they cause).
 */
export function signInThrottle(db: Db, opts: SignInLimitOptions = {}) {
  const windowSeconds = opts.windowSeconds ?? 15 * 60;
  const stages = [
    {
      scope: 'account',
      rl: limiter(db, 'signin_account_source', opts.maxPerAccount ?? 5, windowSeconds),
    },
    { scope: 'address', rl: limiter(db, 'signin_ip', opts.maxPerIp ?? 20, windowSeconds) },
    { scope: 'global', rl: limiter(db, 'signin_all', opts.maxPerMinute ?? 60, 60) },
  ] as const;
  const device = limiter(db, 'signin_device', opts.maxPerDevice ?? 5, windowSeconds);
  const slow = limiter(db, 'signin_account_all', opts.slowAfter ?? 10, windowSeconds);
  const account = (email: string) => email.trim().toLowerCase().slice(0, 160);
  const keys = (email: string, ip: string) => {
    const source = throttleIpKey(ip);
    return [`${account(email)} ${source}`, source, 'all'];
  };

  async function refusedBy(rl: RateLimiterAbstract, key: string): Promise<RateLimiterRes | null> {
    try {
      await rl.consume(key);
      return null;
    } catch (e) {
      return refusedFor(e);
    }
  }

  return {
    /** `deviceId`: the id of a valid device cookie for this account (device-cookie.ts), or null. */
    async check(email: string, ip: string, deviceId: string | null = null): Promise<ThrottleVerdict> {
      if (deviceId && !(await refusedBy(device, deviceId)))
        return { allowed: true, retryAfterSeconds: 0, trustedDevice: true };
      const k = keys(email, ip);
      for (let i = 0; i < stages.length; i++) {
        const refused = await refusedBy(stages[i]!.rl, k[i]!);
        if (refused) {
          await Promise.all(stages.slice(0, i).map((s, j) => s.rl.reward(k[j]!, 1)));
          return { allowed: false, retryAfterSeconds: retryAfter(refused), scope: stages[i]!.scope };
        }
      }
      const slowed = await refusedBy(slow, account(email));
      return slowed
        ? { allowed: true, retryAfterSeconds: 0, delayMs: opts.slowDelayMs ?? 1_000 }
        : { allowed: true, retryAfterSeconds: 0 };
    },

    /** `deviceId` when check() let the attempt in as a recognised browser: only that browser's count is reset. */
    async recordSuccess(email: string, ip: string, deviceId: string | null = null): Promise<void> {
      if (deviceId) return void (await device.delete(deviceId));
      const [pair, address] = keys(email, ip);
      await Promise.all([stages[0].rl.delete(pair!), stages[1].rl.reward(address!, 1)]);
    },
  };
}

export type SignInThrottle = ReturnType<typeof signInThrottle>;

/**
 * Step-up (re-entering the password before minting a token or changing staff) has a counter of its own, keyed by
 * the signed-in staff member: failing to sign in as an admin cannot lock that admin out of step-up, and a stolen
 * cookie gets only a few guesses at the password.
 */
export function stepUpThrottle(db: Db, opts: { max?: number; windowSeconds?: number } = {}) {
  const rl = limiter(db, 'step_up', opts.max ?? 5, opts.windowSeconds ?? 15 * 60);
  return {
    async check(staffId: string): Promise<ThrottleVerdict> {
      try {
        await rl.consume(staffId);
        return { allowed: true, retryAfterSeconds: 0 };
      } catch (e) {
        const refused = refusedFor(e)!;
        return { allowed: false, retryAfterSeconds: retryAfter(refused), scope: 'step_up' };
      }
    },
    async recordSuccess(staffId: string): Promise<void> {
      await rl.delete(staffId);
    },
  };
}
