import 'server-only';
import { isIP } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { Db } from '@/lib/db';
import { toDate, toDbTime } from '@/lib/db/values';

export interface ThrottleOptions {
  maxPerAccount?: number;
  maxPerIp?: number;
  windowMs?: number;
  now?: () => Date;
}

export interface ThrottleVerdict {
  allowed: boolean;
  retryAfterSeconds: number;
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

/**
 * Sign-in throttling per account and per address, kept in the shared database so it holds across console
 * instances. `check()` RESERVES the attempt (writes it, then counts): a burst of parallel guesses cannot all slip
 * in before the first failure is written. A reserved attempt counts as a failure until `recordSuccess()` clears the
 * account's attempts; `recordFailure()` only tidies up. A success does not clear the address's attempts on other
 * accounts, so owning one account does not reset the per-address budget.
 */
export function signInThrottle(db: Db, opts: ThrottleOptions = {}) {
  const maxPerAccount = opts.maxPerAccount ?? 5;
  const maxPerIp = opts.maxPerIp ?? 20;
  const windowMs = opts.windowMs ?? 15 * 60 * 1000;
  const now = opts.now ?? (() => new Date());

  /** Seconds until fewer than `max` of these attempts (oldest first) remain in the window. */
  function waitFor(times: Date[], max: number, at: number): number {
    const freeing = times[times.length - max];
    if (!freeing) return 0;
    return Math.max(1, Math.ceil((freeing.getTime() + windowMs - at) / 1000));
  }

  async function attempts(column: 'email' | 'ip', key: string, since: string) {
    const rows = await db
      .selectFrom('sign_in_attempts')
      .select(['id', 'at'])
      .where(column, '=', key)
      .where('at', '>', since)
      .orderBy('at')
      .execute();
    return rows.map((r) => ({ id: r.id, at: toDate(r.at) }));
  }

  return {
    async check(email: string, ip: string): Promise<ThrottleVerdict> {
      const account = email.trim().toLowerCase().slice(0, 254);
      const address = throttleIpKey(ip);
      const at = now();
      const since = toDbTime(new Date(at.getTime() - windowMs));
      const id = randomUUID();
      await db
        .insertInto('sign_in_attempts')
        .values({ id, email: account, ip: address, at: toDbTime(at) })
        .execute();
      const [byAccount, byIp] = await Promise.all([
        attempts('email', account, since),
        attempts('ip', address, since),
      ]);
      if (byAccount.length <= maxPerAccount && byIp.length <= maxPerIp)
        return { allowed: true, retryAfterSeconds: 0 };
      // Refused attempts are not kept: they did not get to guess, and hammering must not grow the table.
      await db.deleteFrom('sign_in_attempts').where('id', '=', id).execute();
      const others = (list: { id: string; at: Date }[]) => list.filter((a) => a.id !== id).map((a) => a.at);
      const wait = Math.max(
        byAccount.length > maxPerAccount ? waitFor(others(byAccount), maxPerAccount, at.getTime()) : 0,
        byIp.length > maxPerIp ? waitFor(others(byIp), maxPerIp, at.getTime()) : 0,
      );
      return { allowed: false, retryAfterSeconds: Math.max(1, wait) };
    },

    async recordFailure(_email: string, _ip: string): Promise<void> {
      const cutoff = toDbTime(new Date(now().getTime() - windowMs));
      await db.deleteFrom('sign_in_attempts').where('at', '<=', cutoff).execute();
    },

    async recordSuccess(email: string, _ip: string): Promise<void> {
      await db
        .deleteFrom('sign_in_attempts')
        .where('email', '=', email.trim().toLowerCase().slice(0, 254))
        .execute();
    },
  };
}

export type SignInThrottle = ReturnType<typeof signInThrottle>;
