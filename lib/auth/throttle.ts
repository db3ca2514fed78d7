import 'server-only';
import { isIP } from 'node:net';
import {
  RateLimiterPostgres,
  RateLimiterRes,
  RateLimiterSQLite,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { driverOf, type Db } from '@/lib/db';

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
  /** Which limit refused the attempt. */
  scope?: 'account' | 'address' | 'global' | 'step_up';
}

export interface SignInLimitOptions {
  maxPerAccount?: number;
  maxPerIp?: number;
  windowSeconds?: number;
  maxPerMinute?: number;
}

/** Expands an IPv6 address into its 8 groups (null if it is not one). */
function ipv6Groups(ip: string): string[] | null {
  const halves = ip.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((g) =>
    g.replace(/^0+(?=.)/, '').toLowerCase(),
  );
}

/**
 * The key an address is throttled under. One IPv6 host usually owns a whole /64, so counting per address would let
 * it rotate through 2^64 of them: IPv6 is counted per /64. IPv4-mapped IPv6 counts as the IPv4 address.
 */
export function throttleIpKey(ip: string): string {
  const trimmed = ip
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(trimmed);
  if (mapped?.[1] && isIP(mapped[1]) === 4) return mapped[1];
  if (isIP(trimmed) === 6) {
    const groups = ipv6Groups(trimmed);
    if (groups) return `${groups.slice(0, 4).join(':')}::/64`;
  }
  return trimmed.slice(0, 64) || 'unknown';
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
 * Sign-in limits per account, per address and over everything, in the store (rate-limiter-flexible's SQLite and
 * PostgreSQL limiters on the console's database). `check()` spends the attempt before the password is verified, so
 * a burst of parallel guesses cannot all slip in before the first failure is counted. An attempt refused by one
 * limit is given back to the limits before it (a locked account does not use up its address's budget). A success
 * clears the account and gives the address its attempt back; the overall cap counts every attempt (it bounds the
 * password hashing the console does per minute).
 */
export function signInThrottle(db: Db, opts: SignInLimitOptions = {}) {
  const windowSeconds = opts.windowSeconds ?? 15 * 60;
  const stages = [
    { scope: 'account', rl: limiter(db, 'signin_account', opts.maxPerAccount ?? 5, windowSeconds) },
    { scope: 'address', rl: limiter(db, 'signin_ip', opts.maxPerIp ?? 20, windowSeconds) },
    { scope: 'global', rl: limiter(db, 'signin_all', opts.maxPerMinute ?? 60, 60) },
  ] as const;
  const keys = (email: string, ip: string) => [
    email.trim().toLowerCase().slice(0, 254),
    throttleIpKey(ip),
    'all',
  ];

  return {
    async check(email: string, ip: string): Promise<ThrottleVerdict> {
      const k = keys(email, ip);
      for (let i = 0; i < stages.length; i++) {
        const stage = stages[i]!;
        let refused: RateLimiterRes | null = null;
        try {
          await stage.rl.consume(k[i]!);
        } catch (e) {
          refused = refusedFor(e);
        }
        if (refused) {
          await Promise.all(stages.slice(0, i).map((s, j) => s.rl.reward(k[j]!, 1)));
          return { allowed: false, retryAfterSeconds: retryAfter(refused), scope: stage.scope };
        }
      }
      return { allowed: true, retryAfterSeconds: 0 };
    },

    async recordSuccess(email: string, ip: string): Promise<void> {
      const [account, address] = keys(email, ip);
      await Promise.all([stages[0].rl.delete(account!), stages[1].rl.reward(address!, 1)]);
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
