import 'server-only';
import { SECURE_STEPS, type SecureStep } from '@/lib/account/steps';
import { MAX_BULK_USERS, NO_PASSWORD_MESSAGE } from '@/lib/clerk/account';
import { forFeature, toConsoleApiError, type ConsoleApiError } from '@/lib/clerk/errors';
import { withTraceId } from '@/lib/clerk/trace';
import { settlementOf } from '@/lib/actions/audited';
import type { AuditAction } from '@/lib/audit';
import { log } from '@/lib/log';
import { plural } from '@/lib/vocabulary';
import type { ClaimedItem } from '@/lib/jobs/store/claims';
import type { JobRow } from '@/lib/jobs/store/reads';
import { jobActor, NO_REQUEST, type RunContext, type RunnerAccountClerk } from './context';

export const STEP_AUDIT: Record<SecureStep, AuditAction> = {
  sign_out_all: 'account.sign_out_all',
  password_compromised: 'account.password_compromised',
  lock: 'account.lock',
  ban: 'account.ban',
  revoke_api_keys: 'account.revoke_api_keys',
  revoke_trusted_devices: 'account.revoke_trusted_devices',
  reset_mfa: 'account.reset_mfa',
};

const FEATURE: Record<SecureStep, string> = {
  sign_out_all: 'revoking sessions',
  password_compromised: 'compromised-password flags',
  lock: 'account lockout',
  ban: 'banning users',
  revoke_api_keys: 'API keys',
  revoke_trusted_devices: 'trusted devices',
  reset_mfa: 'multi-factor authentication',
};

interface StepResult {
  outcome: 'done' | 'already';
  message: string;
  detail?: Record<string, number>;
}

interface Begun {
  item: ClaimedItem;
  intentId: string;
}

function isStep(v: string | null): v is SecureStep {
  return v !== null && (SECURE_STEPS as readonly string[]).includes(v);
}

const userOf = (item: ClaimedItem) => item.userId ?? item.target;

// A secure_account step (its target is the step) reads the account first: that is its read-back after a crash,
// and how it tells "already so" from "done". An incident's ban, lock and flag are idempotent upstream.
async function perform(
  c: RunContext,
  a: RunnerAccountClerk,
  step: SecureStep,
  items: ClaimedItem[],
  job: JobRow,
): Promise<StepResult> {
  const userId = userOf(items[0]!);
  const single = items[0]!.target === step;
  const state =
    single && step !== 'sign_out_all' && !step.startsWith('revoke_') ? await a.state(userId) : null;
  switch (step) {
    case 'ban':
      if (state?.banned) return { outcome: 'already', message: 'Already banned.' };
      await a.ban(items.map(userOf));
      return { outcome: 'done', message: 'Banned.' };
    case 'lock':
      if (state?.locked) return { outcome: 'already', message: 'Already locked.' };
      await a.lock(userId);
      return { outcome: 'done', message: 'Locked.' };
    case 'password_compromised':
      if (state?.passwordCompromised)
        return { outcome: 'already', message: 'The password was already marked compromised.' };
      await a.setCompromised(userId);
      return { outcome: 'done', message: 'Password marked compromised; every session signed out.' };
    case 'reset_mfa':
      if (state && !state.twoFactorEnabled) return { outcome: 'already', message: 'MFA was already off.' };
      await a.resetMfa(userId);
      return { outcome: 'done', message: 'MFA reset.' };
    case 'sign_out_all':
      return signOutAll(c, items[0]!);
    case 'revoke_api_keys':
      return revokeEach(c, items[0]!, job, 'API key', async () => {
        const keys = await a.apiKeys(userId);
        return keys.map((k) => ({
          id: k.id,
          action: 'api_key.revoke' as const,
          revoke: () => a.revokeApiKey(k.id, job.reason),
        }));
      });
    case 'revoke_trusted_devices':
      return revokeEach(c, items[0]!, job, 'trusted device', async () => {
        const devices = await a.trustedDevices(userId);
        return devices.map((d) => ({
          id: d.id,
          action: 'trusted_device.revoke' as const,
          revoke: () => a.revokeTrustedDevice(userId, d.id),
        }));
      });
  }
}

// Re-listing after a crash finds only what is still active, so nothing is revoked twice; the count so far rides
// on the item's cursor.
async function signOutAll(c: RunContext, item: ClaimedItem): Promise<StepResult> {
  const userId = userOf(item);
  let n = Number(item.cursor ?? 0) || 0;
  const seen = new Set<string>();
  for (;;) {
    const page = await c.clerk.activeSessionsPage(userId, 0);
    const fresh = page.sessions.filter((s) => !seen.has(s.sessionId));
    if (!fresh.length) break;
    for (const s of fresh) {
      seen.add(s.sessionId);
      try {
        await c.clerk.revokeSession(s.sessionId);
        n++;
      } catch (e) {
        const err = toConsoleApiError(e, 'session');
        if (err.kind !== 'already_revoked' && err.kind !== 'not_found') throw err;
      }
      await c.store.setCursor(item.id, c.owner, String(n));
    }
  }
  return n
    ? { outcome: 'done', message: `Revoked ${plural(n, 'session')}.`, detail: { sessions: n } }
    : { outcome: 'already', message: 'No active session was left.', detail: { sessions: 0 } };
}

type Revocable = { id: string; action: AuditAction; revoke(): Promise<unknown> };

// One intent per key or device, written before its request: a crash between the two leaves that one "unknown".
async function revokeEach(
  c: RunContext,
  item: ClaimedItem,
  job: JobRow,
  noun: 'API key' | 'trusted device',
  list: () => Promise<Revocable[]>,
): Promise<StepResult> {
  let n = Number(item.cursor ?? 0) || 0;
  const seen = new Set<string>();
  for (;;) {
    const fresh = (await list()).filter((r) => !seen.has(r.id));
    if (!fresh.length) break;
    for (const r of fresh) {
      seen.add(r.id);
      const intent = await c.audit.begin({
        actor: jobActor(job),
        action: r.action,
        target: { userId: userOf(item) },
        details: {
          reason: job.reason,
          reasonCode: job.reasonCode,
          ticket: job.ticket,
          jobId: job.id,
          id: r.id,
        },
        ctx: NO_REQUEST,
      });
      try {
        const { traceId } = await withTraceId(() => r.revoke());
        await c.resolveIntent(intent.id, { outcome: 'succeeded', traceId, details: { jobId: job.id } });
        n++;
        await c.store.setCursor(item.id, c.owner, String(n));
      } catch (e) {
        await c.resolveIntent(intent.id, settlementOf(e));
        throw e;
      }
    }
  }
  const key = noun === 'API key' ? 'apiKeys' : 'trustedDevices';
  return n
    ? { outcome: 'done', message: `Revoked ${plural(n, noun)}.`, detail: { [key]: n } }
    : { outcome: 'already', message: `No active ${noun} was left.`, detail: { [key]: 0 } };
}

async function begin(c: RunContext, batch: ClaimedItem[], job: JobRow, step: SecureStep) {
  const begun: Begun[] = [];
  for (const item of batch) {
    let intentId = item.intentId;
    let fresh: string | null = null;
    if (!intentId) {
      try {
        const intent = await c.audit.begin({
          actor: jobActor(job),
          action: STEP_AUDIT[step],
          target: { userId: userOf(item) },
          details: {
            reason: job.reason,
            reasonCode: job.reasonCode,
            ticket: job.ticket,
            jobId: job.id,
            step,
          },
          ctx: NO_REQUEST,
        });
        intentId = fresh = intent.id;
      } catch {
        log.error({ jobId: job.id }, 'audit log unavailable; job item put back');
        c.backoff(5000);
        for (const rest of batch.filter((b) => !begun.some((x) => x.item.id === b.id)))
          await c.store.release(rest.id, c.owner, { sent: false, keepIntent: true });
        return begun;
      }
    }
    if (await c.store.markAttempt(item.id, c.owner, intentId)) {
      begun.push({ item, intentId });
      continue;
    }
    if (fresh && !(await c.store.keepIntent(item.id, fresh)))
      await c.resolveIntent(fresh, { outcome: 'failed', code: 'not_attempted', details: { jobId: job.id } });
    const now = await c.store.forRunner(job.id);
    if (now?.lostAccess && (now.state === 'running' || now.state === 'queued'))
      await c.pauseForLostAccess(now);
  }
  return begun;
}

async function refuse(c: RunContext, begun: Begun[], job: JobRow, err: ConsoleApiError, step: SecureStep) {
  const noPassword = err.clerkCode === 'no_password_set';
  const refused = err.kind === 'forbidden' || noPassword;
  const message = noPassword
    ? NO_PASSWORD_MESSAGE
    : refused
      ? (forFeature(err, FEATURE[step]) as ConsoleApiError).userMessage
      : err.userMessage;
  for (const b of begun) {
    await c.resolveIntent(b.intentId, { ...settlementOf(err), details: { jobId: job.id, step } });
    await c.settle(b.item, {
      outcome: refused ? 'refused' : err.kind === 'not_found' ? 'not_found' : 'failed',
      code: err.clerkCode ?? err.kind,
      traceId: err.traceId,
      message,
    });
  }
}

async function settleStep(
  c: RunContext,
  job: JobRow,
  step: SecureStep,
  begun: Begun[],
  batch: ClaimedItem[],
) {
  const a = c.clerk.account!;
  try {
    const { value, traceId } = await withTraceId(() =>
      c.inLane(job, () =>
        perform(
          c,
          a,
          step,
          batch.filter((i) => begun.some((b) => b.item.id === i.id)),
          job,
        ),
      ),
    );
    for (const b of begun) {
      await c.resolveIntent(b.intentId, {
        outcome: 'succeeded',
        code: value.outcome === 'already' ? 'already' : null,
        traceId,
        details: { jobId: job.id, step, ...value.detail },
      });
      await c.settle(b.item, {
        outcome: value.outcome,
        traceId,
        message: value.message,
        detail: value.detail,
      });
    }
  } catch (e) {
    const err = toConsoleApiError(e, 'user');
    if (err.kind === 'not_found' && begun.length > 1) {
      // A bulk ban is all or nothing: one deleted user must not fail the 49 others.
      for (const b of begun) await settleStep(c, job, step, [b], [b.item]);
      return;
    }
    if (err.outcomeUnknown) {
      for (const b of begun) await c.store.release(b.item.id, c.owner, { sent: true });
      return;
    }
    const retry =
      err.kind === 'rate_limited' ||
      (err.kind === 'unavailable' && (begun[0]?.item.attempts ?? 0) + 1 < c.maxAttempts);
    if (retry) {
      c.backoff((err.retryAfterSeconds ?? 1) * 1000);
      for (const b of begun) {
        await c.store.release(b.item.id, c.owner, { sent: false, keepIntent: true });
        if (err.kind === 'unavailable') await c.store.countFailedAttempt(b.item.id);
      }
      return;
    }
    if (err.kind === 'key_rejected') {
      for (const b of begun) await c.store.release(b.item.id, c.owner, { sent: false, keepIntent: true });
      await c.failJob(job, 'Clerk rejected the console key.');
      return;
    }
    await refuse(c, begun, job, err, step);
  }
}

export async function actOnAccount(c: RunContext, item: ClaimedItem, job: JobRow) {
  const step = item.step;
  if (!isStep(step) || !c.clerk.account) {
    await c.settle(item, { outcome: 'failed', code: 'unknown_step' });
    return;
  }
  const batch =
    step === 'ban' && item.target !== step
      ? [item, ...(await c.store.claimBatch(job.id, step, c.owner, c.leaseMs, MAX_BULK_USERS - 1))]
      : [item];
  const begun = await begin(c, batch, job, step);
  if (begun.length) await settleStep(c, job, step, begun, batch);
}
