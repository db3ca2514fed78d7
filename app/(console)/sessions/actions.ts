'use server';

import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { staffAction } from '@/lib/actions/staff-action';
import { fail, ok } from '@/lib/actions/action-state';
import {
  activeSessionIdsInput,
  createTokenInput,
  getSessionInput,
  listSessionsInput,
  revokeSessionInput,
  revokeSessionsInput,
  reviewSignalInput,
} from '@/lib/sessions/inputs';
import { bulkRevoke } from '@/lib/sessions/bulk-revoke';
import {
  ConsoleApiError,
  createTokenFromTemplate,
  getSession,
  listSessions,
  revokeSession,
  toConsoleApiError,
  verifyTokenAgainstJwks,
} from '@/lib/clerk';
import { getDb } from '@/lib/db';
import { getUserRisk, listSessionsNeedingALook } from '@/lib/risk/server';
import { riskReviews } from '@/lib/risk/reviews';
import { staffStore } from '@/lib/auth/staff-store';
import { signInThrottle } from '@/lib/auth/throttle';

export const listSessionsAction = staffAction(
  { name: 'sessions.list', access: 'sessions:read', schema: listSessionsInput },
  async (input) => {
    const page =
      input.look && input.userId
        ? await listSessionsNeedingALook({ ...input, userId: input.userId })
        : await listSessions(input);
    return ok('Sessions loaded.', { ...page, fetchedAt: Date.now() });
  },
);

export const getSessionAction = staffAction(
  { name: 'sessions.get', access: 'sessions:read', schema: getSessionInput },
  async ({ sessionId }) => ok('Session loaded.', await getSession(sessionId)),
);

export const revokeSessionAction = staffAction(
  { name: 'session.revoke', access: 'sessions:revoke', schema: revokeSessionInput },
  async ({ sessionId, reason }, ctx) => {
    const audit = await ctx.beginAudit('session.revoke', { sessionId }, { reason });
    try {
      const session = await revokeSession(sessionId);
      await audit.succeeded({ details: { status: session.status } });
      return ok('Session revoked.', session);
    } catch (e) {
      const err = toConsoleApiError(e, 'session');
      if (err.outcomeUnknown) await audit.unknown({ traceId: err.traceId });
      else await audit.failed(err.clerkCode ?? err.kind, { traceId: err.traceId });
      throw err;
    }
  },
);

/**
 * One batch of a bulk revoke (the browser sends batches so it can show progress and cancel between them).
 * Only the ids given are touched; each gets its own audit intent and outcome.
 */
export const revokeSessionsAction = staffAction(
  { name: 'session.revoke_bulk', access: 'sessions:revoke', schema: revokeSessionsInput },
  async ({ sessionIds, reason, userId, batchId }, ctx) => {
    const outcomes = await bulkRevoke(sessionIds, {
      async revokeOne(sessionId) {
        const audit = await ctx.beginAudit(
          'session.revoke',
          { sessionId, userId: userId ?? null },
          { reason, batchId: batchId ?? null },
        );
        try {
          const session = await revokeSession(sessionId);
          await audit.succeeded({ details: { status: session.status } });
          return null;
        } catch (e) {
          const err = toConsoleApiError(e, 'session');
          // A 429 is retried by bulkRevoke, so its outcome row says so and a new intent is written for the retry.
          if (err.outcomeUnknown) await audit.unknown({ traceId: err.traceId });
          else await audit.failed(err.clerkCode ?? err.kind, { traceId: err.traceId });
          return {
            kind: err.kind,
            message: err.userMessage,
            traceId: err.traceId,
            retryAfterSeconds: err.retryAfterSeconds,
          };
        }
      },
    });
    const revoked = outcomes.filter((o) => o.outcome === 'revoked').length;
    return ok(`${revoked} of ${outcomes.length} sessions revoked.`, { outcomes });
  },
);

/** Every active session id of a user, for "sign out everywhere": the count the confirmation states. */
export const listActiveSessionIdsAction = staffAction(
  { name: 'sessions.active_ids', access: 'sessions:revoke', schema: activeSessionIdsInput },
  async ({ userId }) => {
    const ids: string[] = [];
    const limit = 500;
    for (let offset = 0; offset < 20_000; offset += limit) {
      const page = await listSessions({ userId, status: 'active', limit, offset });
      ids.push(...page.data.map((s) => s.id));
      if (page.data.length < limit || ids.length >= page.totalCount) break;
    }
    return ok(`${ids.length} active sessions.`, { sessionIds: ids });
  },
);

const STEP_UP_WINDOW_MS = 5 * 60 * 1000;

/**
 * Mints a JWT that acts as the user. Admin only, with a reason, after step-up: the password re-entered now
 * (throttled like sign-in), or for SSO staff a sign-in less than 5 minutes old. The token is returned once and
 * never stored or logged: the audit row keeps its jti and a SHA-256.
 */
export const createTokenAction = staffAction(
  { name: 'token.create', access: 'tokens:create', schema: createTokenInput },
  async ({ sessionId, template, expiresInSeconds, reason, password }, ctx) => {
    const staff = ctx.staff!;
    const db = await getDb();
    if (staff.provider === 'oidc') {
      if (Date.now() - staff.signedInAt > STEP_UP_WINDOW_MS) {
        return fail(
          'step_up_required',
          'Sign in again with single sign-on (less than 5 minutes ago) to create a token.',
        );
      }
    } else {
      const ip = ctx.request.ip ?? 'unknown';
      const throttle = signInThrottle(db);
      const verdict = await throttle.check(staff.email, ip);
      if (!verdict.allowed) {
        return fail(
          'step_up_required',
          `Too many password attempts. Try again in ${Math.ceil(verdict.retryAfterSeconds / 60)} min.`,
        );
      }
      const confirmed = password ? await staffStore(db).checkPassword(staff.email, password) : null;
      if (!confirmed || confirmed.id !== staff.id) {
        await throttle.recordFailure(staff.email, ip);
        return fail('step_up_required', 'Your password was not accepted.', {
          fieldErrors: { password: ['Re-enter your password.'] },
        });
      }
      await throttle.recordSuccess(staff.email, ip);
    }

    const audit = await ctx.beginAudit(
      'token.create',
      { sessionId },
      { reason, template, expiresInSeconds: expiresInSeconds ?? null },
    );
    let jwt: string;
    try {
      ({ jwt } = await createTokenFromTemplate(sessionId, template, expiresInSeconds));
    } catch (e) {
      const err = e instanceof ConsoleApiError ? e : toConsoleApiError(e, 'session');
      if (err.outcomeUnknown) await audit.unknown({ traceId: err.traceId });
      else await audit.failed(err.clerkCode ?? err.kind, { traceId: err.traceId });
      throw err;
    }
    const claims = decodeJwt(jwt);
    await audit.succeeded({
      details: {
        tokenJti: typeof claims.jti === 'string' ? claims.jti : null,
        tokenSha256: createHash('sha256').update(jwt).digest('hex'),
        expiresAt: typeof claims.exp === 'number' ? claims.exp : null,
      },
    });
    const verification = await verifyTokenAgainstJwks(jwt);
    return ok('Token created. It is shown once: copy it now.', {
      jwt,
      header: verification.header,
      claims: verification.claims,
      verified: verification.valid,
      verifyError: verification.error,
    });
  },
);

/**
 * Marks one occurrence of a signal reviewed, with a note (support and admin: the roles that may act on a
 * session). The signal is recomputed from Clerk first, so only a signal the session really shows can be
 * reviewed; a new occurrence (another fingerprint) shows again. Nothing is revoked.
 */
export const reviewSignalAction = staffAction(
  { name: 'risk.review', access: 'sessions:revoke', schema: reviewSignalInput },
  async ({ sessionId, kind, fingerprint, note }, ctx) => {
    const session = await getSession(sessionId);
    const risk = await getUserRisk(session.userId);
    const signal = risk.signals.find(
      (s) => s.sessionId === sessionId && s.kind === kind && s.fingerprint === fingerprint,
    );
    if (!signal) return fail('not_found', 'This session no longer shows that signal. Reload the page.');
    const staff = ctx.staff!;
    const audit = await ctx.beginAudit(
      'risk.review',
      { sessionId, userId: session.userId },
      { reason: note, signal: kind, severity: signal.severity, fingerprint },
    );
    try {
      const review = await riskReviews(await getDb()).record({
        sessionId,
        userId: session.userId,
        kind,
        fingerprint,
        note,
        staff: { id: staff.id, email: staff.email },
      });
      await audit.succeeded();
      return ok('Signal marked reviewed.', review);
    } catch (e) {
      await audit.failed('review_not_stored');
      throw e;
    }
  },
);
