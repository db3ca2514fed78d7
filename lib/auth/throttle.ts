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
  scope?: 'account' | 'address' | 'global' | 'step_up';
  trustedDevice?: boolean;
  delayMs?: number;
}

export interface SignInLimitOptions {
  maxPerAccount?: number;
  maxPerIp?: number;
  windowSeconds?: number;
  maxPerMinute?: number;
  maxPerDevice?: number;
  slowAfter?: number;
  slowDelayMs?: number;
}

const TABLE = 'auth_rate_limits';

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

// OWASP's device-cookie pattern: a recognised browser meets only its own failure limit, so nobody else's failures
// lock a member out. check() spends the attempt before the password is verified, so parallel guesses can't slip in.
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

    async recordSuccess(email: string, ip: string, deviceId: string | null = null): Promise<void> {
      if (deviceId) return void (await device.delete(deviceId));
      const [pair, address] = keys(email, ip);
      await Promise.all([stages[0].rl.delete(pair!), stages[1].rl.reward(address!, 1)]);
    },
  };
}

export type SignInThrottle = ReturnType<typeof signInThrottle>;

// Keyed by staff member: failed sign-ins can't lock an admin out of step-up; a stolen cookie gets few guesses.
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
