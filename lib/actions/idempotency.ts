import 'server-only';
import { createHash } from 'node:crypto';
import { getDb, type Db } from '@/lib/db';
import { toDate, toDbTime } from '@/lib/db/values';
import { log } from '@/lib/log';
import { fail, type ActionResult } from '@/lib/vocabulary';
import { REQUEST_KEY, REQUEST_KEY_FIELD } from '@/lib/actions/request-key';
import type { ActionContext } from '@/lib/actions/action-context';
import { auditedWith } from '@/lib/actions/audited';

// A claim is an INSERT that fails on conflict, so two instances cannot both win. Keys live a day, longer than
// any session (12 h), so a captured request can't be replayed once its key is purged.
export interface IdempotencyOptions<R> {
  /** Input fields left out of the request fingerprint: credentials (a step-up password) must not be hashed. */
  omit?: readonly string[];
  replay?: (first: ActionResult<R>) => ActionResult<R>;
}

export interface RequestClaim {
  key: string;
  staffId: string;
  action: string;
  fingerprint: string;
}

export interface IdempotencyTiming {
  waitMs: number;
  pollMs: number;
  /** A claim still running after this long was cut off (a crash): it is never run again under this key. */
  abandonedMs: number;
  now(): number;
}

export const KEY_TTL_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 10 * 60 * 1000;
const DEFAULT_TIMING: IdempotencyTiming = {
  waitMs: 30_000,
  pollMs: 25,
  abandonedMs: 10 * 60 * 1000,
  now: () => Date.now(),
};

export const MESSAGES = {
  missing: 'This request has no request key. Reload the page and try again.',
  conflict: 'This request key was already used for a different request. Reload the page and try again.',
  inProgress: 'The same request is still being processed. Wait a moment, then check its result.',
  abandoned:
    'The first attempt of this request did not finish, so it may or may not have been done. Check the audit log before trying again.',
} as const;

export function takeRequestKey(raw: unknown): { rest: unknown; key: string | null; problem: string | null } {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return { rest: raw, key: null, problem: null };
  const { [REQUEST_KEY_FIELD]: key, ...rest } = raw as Record<string, unknown>;
  if (typeof key === 'string' && REQUEST_KEY.test(key)) return { rest, key, problem: null };
  return { rest, key: null, problem: MESSAGES.missing };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

export function fingerprintOf(action: string, input: unknown, omit: readonly string[] = []): string {
  const kept =
    input && typeof input === 'object' && !Array.isArray(input)
      ? Object.fromEntries(Object.entries(input).filter(([k]) => !omit.includes(k)))
      : input;
  return createHash('sha256')
    .update(`${action}\n${JSON.stringify(canonical(kept) ?? null)}`)
    .digest('hex');
}

export function idempotencyStore(db: Db, now: () => number = () => Date.now()) {
  return {
    async claim(c: RequestClaim): Promise<boolean> {
      const r = await db
        .insertInto('idempotency_keys')
        .values({
          key: c.key,
          staff_id: c.staffId,
          action: c.action,
          fingerprint: c.fingerprint,
          state: 'running',
          result: null,
          created_at: toDbTime(new Date(now())),
          completed_at: null,
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    },
    find(key: string) {
      return db.selectFrom('idempotency_keys').selectAll().where('key', '=', key).executeTakeFirst();
    },
    async complete(key: string, result: ActionResult<unknown>): Promise<void> {
      await db
        .updateTable('idempotency_keys')
        .set({ state: 'done', result: JSON.stringify(result), completed_at: toDbTime(new Date(now())) })
        .where('key', '=', key)
        .where('state', '=', 'running')
        .execute();
    },
    async release(key: string): Promise<void> {
      await db.deleteFrom('idempotency_keys').where('key', '=', key).where('state', '=', 'running').execute();
    },
    async purge(): Promise<number> {
      const r = await db
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', toDbTime(new Date(now() - KEY_TTL_MS)))
        .executeTakeFirst();
      return Number(r.numDeletedRows ?? 0);
    },
  };
}

// A duplicate in this process awaits the first request's promise; one on another instance polls the row.
const inflight = new WeakMap<Db, Map<string, Promise<void>>>();
const lastPurge = new WeakMap<Db, number>();

function wait(ms: number, first?: Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void first?.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

async function maybePurge(db: Db, now: number): Promise<void> {
  if (now - (lastPurge.get(db) ?? 0) < PURGE_EVERY_MS) return;
  lastPurge.set(db, now);
  await idempotencyStore(db)
    .purge()
    .catch((e: unknown) =>
      log.warn({ err: e instanceof Error ? e.name : typeof e }, 'request key purge failed'),
    );
}

export async function runOnce<R>(
  db: Db,
  claim: RequestClaim,
  options: IdempotencyOptions<R>,
  run: (began: () => void) => Promise<ActionResult<R>>,
  timing: Partial<IdempotencyTiming> = {},
): Promise<ActionResult<R>> {
  const t = { ...DEFAULT_TIMING, ...timing };
  const store = idempotencyStore(db, t.now);
  await maybePurge(db, t.now());
  const deadline = t.now() + t.waitMs;
  let pause = t.pollMs;
  for (;;) {
    if (await store.claim(claim)) return own(db, store, claim, options, run);
    const row = await store.find(claim.key);
    if (row) {
      // Same message whoever asks: another staff member learns nothing about the first request.
      if (
        row.staff_id !== claim.staffId ||
        row.action !== claim.action ||
        row.fingerprint !== claim.fingerprint
      ) {
        return fail('conflict', MESSAGES.conflict);
      }
      if (row.state === 'done' && row.result) return JSON.parse(row.result) as ActionResult<R>;
      if (t.now() - toDate(row.created_at).getTime() > t.abandonedMs)
        return fail('unknown', MESSAGES.abandoned);
    }
    // No row: the first request was released (nothing done) between our insert and our read; claim again.
    if (t.now() >= deadline) return fail('in_progress', MESSAGES.inProgress, { retryAfterSeconds: 2 });
    const first = inflight.get(db)?.get(claim.key);
    await (first ? wait(Math.max(0, deadline - t.now()), first) : wait(pause));
    pause = Math.min(pause * 2, 250);
  }
}

async function own<R>(
  db: Db,
  store: ReturnType<typeof idempotencyStore>,
  claim: RequestClaim,
  options: IdempotencyOptions<R>,
  run: (began: () => void) => Promise<ActionResult<R>>,
): Promise<ActionResult<R>> {
  let began = false;
  let settle!: () => void;
  let running = inflight.get(db);
  if (!running) inflight.set(db, (running = new Map()));
  running.set(claim.key, new Promise<void>((r) => (settle = r)));
  const finish = async (result: ActionResult<R> | null) => {
    try {
      if (began && result) await store.complete(claim.key, options.replay ? options.replay(result) : result);
      else if (began) await store.complete(claim.key, fail('unknown', MESSAGES.abandoned));
      else await store.release(claim.key);
    } catch (e) {
      // The answer still goes to this caller; a duplicate then waits, and finally reads "did not finish".
      log.error(
        { action: claim.action, err: e instanceof Error ? e.name : typeof e },
        'request key not settled',
      );
    }
  };
  try {
    const result = await run(() => (began = true));
    await finish(result);
    return result;
  } catch (e) {
    await finish(null);
    throw e;
  } finally {
    running.delete(claim.key);
    settle();
  }
}

export async function runKeyedHandler<I, R>(
  spec: { action: string; options: IdempotencyOptions<R>; key: string | null; problem: string | null },
  input: I,
  ctx: ActionContext,
  handler: (input: I, ctx: ActionContext) => Promise<ActionResult<R>>,
  settle: (e: unknown) => ActionResult<R>,
): Promise<ActionResult<R>> {
  const key = spec.key;
  if (!key) {
    return fail('invalid_input', 'Check the highlighted fields.', {
      fieldErrors: { [REQUEST_KEY_FIELD]: [spec.problem ?? MESSAGES.missing] },
    });
  }
  const claim: RequestClaim = {
    key,
    staffId: ctx.staff.id,
    action: spec.action,
    fingerprint: fingerprintOf(spec.action, input, spec.options.omit),
  };
  return runOnce(await getDb(), claim, spec.options, (began) => {
    const beginAudit: ActionContext['beginAudit'] = async (action, target, details) => {
      const intent = await ctx.beginAudit(action, target, { ...details, requestKey: key });
      began();
      return intent;
    };
    return handler(input, { ...ctx, requestKey: key, beginAudit, audited: auditedWith(beginAudit) }).catch(
      settle,
    );
  });
}
