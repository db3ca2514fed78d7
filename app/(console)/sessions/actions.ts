'use server';

import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { staffAction } from '@/lib/actions/staff-action';
import { fail, ok, type ActionResult } from '@/lib/actions/action-state';
import {
  activeSessionIdsInput,
  createTokenInput,
  revokeSessionInput,
  revokeSessionsInput,
} from '@/lib/sessions/inputs';
import { bulkRevoke } from '@/lib/sessions/bulk-revoke';
import { rememberSessionOwner, sessionOwners } from '@/lib/sessions/owners';
import { runInLane } from '@/lib/clerk/lane';
import {
  assertClerkBudget,
  ConsoleApiError,
  createTokenFromTemplate,
  findTemplate,
  listSessions,
  revokeSession,
  toConsoleApiError,
  tokenLifetimeLimit,
  tokenLifetimeProblem,
  verifyTokenAgainstJwks,
} from '@/lib/clerk';
import { confirmStepUp } from '@/lib/auth/step-up';

export const revokeSessionAction = staffAction(
  { name: 'session.revoke', access: 'sessions:revoke', schema: revokeSessionInput, idempotent: true },
  async ({ sessionId, reason }, ctx) => {
    await assertClerkBudget();
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
 * Only the ids given are touched; each gets its own audit intent and outcome. The batch runs in the budget's
 * bulk lane. The browser's `userId` is only a claim: the audit names the owner Clerk reports (lib/sessions/owners,
 * and each revoke's answer), never the claim.
 */
export const revokeSessionsAction = staffAction(
  { name: 'session.revoke_bulk', access: 'sessions:revoke', schema: revokeSessionsInput, idempotent: true },
  async ({ sessionIds, reason, userId, batchId }, ctx) =>
    runInLane({ lane: 'bulk', staffId: ctx.staff?.id }, async () => {
      const owners = userId ? await sessionOwners(userId, sessionIds) : new Map<string, string>();
      const outcomes = await bulkRevoke(sessionIds, {
        async revokeOne(sessionId) {
          try {
            await assertClerkBudget();
          } catch (e) {
            const err = toConsoleApiError(e, 'session');
            return {
              kind: err.kind,
              message: err.userMessage,
              traceId: null,
              retryAfterSeconds: err.retryAfterSeconds,
              local: true,
            };
          }
          const audit = await ctx.beginAudit(
            'session.revoke',
            { sessionId, userId: owners.get(sessionId) ?? null },
            { reason, batchId: batchId ?? null },
          );
          try {
            const session = await revokeSession(sessionId);
            rememberSessionOwner(session.id, session.userId);
            await audit.succeeded({ details: { status: session.status, userId: session.userId } });
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
    }),
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

export type MintedTokenResult =
  | {
      replayed: false;
      jwt: string;
      header: Record<string, unknown>;
      claims: Record<string, unknown>;
      verified: boolean;
      verifyError: string | null;
      jti: string | null;
      expiresAt: number | null;
    }
  /** The answer to a repeat of a request that already minted: the token itself is never stored. */
  | { replayed: true; jwt: null; jti: string | null; expiresAt: number | null };

function mintReplay(first: ActionResult<MintedTokenResult>): ActionResult<MintedTokenResult> {
  if (!first.ok) return first;
  return ok('A token was already minted by this request. It is shown only once and cannot be shown again.', {
    replayed: true,
    jwt: null,
    jti: first.data.jti,
    expiresAt: first.data.expiresAt,
  });
}

/**
 * Mints a JWT that acts as the user. Admin only, with a reason, after step-up (lib/auth/step-up: the password
 * re-entered now, or for SSO staff a fresh re-authentication at the identity provider). The lifetime (explicit, or
 * the template's own) must be within TOKEN_MAX_LIFETIME_SECONDS, checked before the audit intent or any token
 * request (an explicit one before step-up and before any upstream call). The token is returned once and never
 * stored or logged: the audit row keeps its jti and a SHA-256, and a repeat of the same request (its key) answers
 * with those, not the token.
 */
export const createTokenAction = staffAction(
  {
    name: 'token.create',
    access: 'tokens:create',
    schema: createTokenInput,
    idempotent: { omit: ['password'], replay: mintReplay },
  },
  async (
    { sessionId, template, expiresInSeconds, reason, password },
    ctx,
  ): Promise<ActionResult<MintedTokenResult>> => {
    const limit = tokenLifetimeLimit();
    const tooLong = tokenLifetimeProblem(null, expiresInSeconds, limit);
    if (tooLong) {
      return fail('invalid_input', 'Check the highlighted fields.', {
        fieldErrors: { expiresInSeconds: [tooLong] },
      });
    }
    const refused = await confirmStepUp(ctx.staff!, password, {
      action: 'token.create',
      target: { sessionId },
      request: ctx.request,
    });
    if (refused) return refused;

    await assertClerkBudget();
    // After step-up, so that nothing reaches Clerk for a caller who has not proved who they are.
    const chosen = await findTemplate(template);
    const templateTooLong = tokenLifetimeProblem(chosen, expiresInSeconds, limit);
    if (templateTooLong) {
      return fail('invalid_input', 'Check the highlighted fields.', {
        fieldErrors: { expiresInSeconds: [templateTooLong] },
      });
    }

    const audit = await ctx.beginAudit(
      'token.create',
      { sessionId },
      { reason, template, expiresInSeconds: expiresInSeconds ?? null },
    );
    let jwt: string;
    try {
      ({ jwt } = await createTokenFromTemplate(sessionId, chosen, expiresInSeconds));
    } catch (e) {
      const err = e instanceof ConsoleApiError ? e : toConsoleApiError(e, 'session');
      if (err.outcomeUnknown) await audit.unknown({ traceId: err.traceId });
      else await audit.failed(err.clerkCode ?? err.kind, { traceId: err.traceId });
      throw err;
    }
    const claims = decodeJwt(jwt);
    const jti = typeof claims.jti === 'string' ? claims.jti : null;
    const expiresAt = typeof claims.exp === 'number' ? claims.exp : null;
    await audit.succeeded({
      details: {
        tokenJti: jti,
        tokenSha256: createHash('sha256').update(jwt).digest('hex'),
        expiresAt,
      },
    });
    const verification = await verifyTokenAgainstJwks(jwt);
    return ok('Token created. It is shown once: copy it now.', {
      replayed: false,
      jwt,
      header: verification.header,
      claims: verification.claims,
      verified: verification.valid,
      verifyError: verification.error,
      jti,
      expiresAt,
    });
  },
);
