'use server';

import { createHash } from 'node:crypto';
import { decodeJwt } from 'jose';
import { staffAction } from '@/lib/actions/staff-action';
import { fail, ok, type ActionResult } from '@/lib/vocabulary';
import { createTokenInput, revokeSessionInput, reviewSignalInput } from '@/lib/sessions/inputs';
import {
  assertClerkBudget,
  createTokenFromTemplate,
  findTemplate,
  getSession,
  revokeSession,
  tokenLifetimeLimit,
  tokenLifetimeProblem,
  verifyTokenAgainstJwks,
  withTraceId,
} from '@/lib/clerk';
import { confirmStepUp } from '@/lib/auth/step-up';
import { getDb } from '@/lib/db';
import { getUserRisk } from '@/lib/risk/server';
import { riskReviews } from '@/lib/risk/reviews';
import { tellUser } from '@/lib/notify/tell-user';

export const revokeSessionAction = staffAction(
  { name: 'session.revoke', access: 'sessions:revoke', schema: revokeSessionInput, idempotent: true },
  async ({ sessionId, reason, reasonCode, ticket, notify }, ctx) => {
    await assertClerkBudget();
    return ctx.audited('session.revoke', { sessionId }, { reason, reasonCode, ticket }, async (report) => {
      const { value: session, traceId } = await withTraceId(() => revokeSession(sessionId));
      report({ traceId, details: { status: session.status } });
      if (notify) {
        const { staff } = ctx;
        const told = await tellUser({
          userId: session.userId,
          sessionId,
          kind: 'revoke',
          reasonCode,
          message: notify.message,
          actor: { staffId: staff.id, email: staff.email, role: staff.role },
        });
        report({ details: told });
        if (told.notice !== 'queued')
          return ok('Session revoked. The user could not be told by email.', session);
      }
      return ok('Session revoked.', session);
    });
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

/** Admin, reason, step-up; lifetime capped before any audit or upstream call; the token is never stored or logged. */
export const createTokenAction = staffAction(
  {
    name: 'token.create',
    access: 'tokens:create',
    schema: createTokenInput,
    idempotent: { omit: ['password'], replay: mintReplay },
  },
  async (
    { sessionId, template, expiresInSeconds, reason, reasonCode, ticket, password },
    ctx,
  ): Promise<ActionResult<MintedTokenResult>> => {
    const limit = tokenLifetimeLimit();
    const tooLong = tokenLifetimeProblem(null, expiresInSeconds, limit);
    if (tooLong) {
      return fail('invalid_input', 'Check the highlighted fields.', {
        fieldErrors: { expiresInSeconds: [tooLong] },
      });
    }
    const refused = await confirmStepUp(ctx.staff, password, {
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

    const minted = await ctx.audited(
      'token.create',
      { sessionId },
      { reason, reasonCode, ticket, template, expiresInSeconds: expiresInSeconds ?? null },
      async (report) => {
        const {
          value: { jwt },
          traceId,
        } = await withTraceId(() => createTokenFromTemplate(sessionId, chosen, expiresInSeconds));
        const claims = decodeJwt(jwt);
        const jti = typeof claims.jti === 'string' ? claims.jti : null;
        const expiresAt = typeof claims.exp === 'number' ? claims.exp : null;
        report({
          traceId,
          details: { tokenJti: jti, tokenSha256: createHash('sha256').update(jwt).digest('hex'), expiresAt },
        });
        return ok('', { jwt, jti, expiresAt });
      },
    );
    // The outcome is written before the token is checked: the mint happened whatever the check says.
    if (!minted.ok) return minted;
    const { jwt, jti, expiresAt } = minted.data;
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

/** The signal is recomputed from Clerk first, so only one the session really shows can be marked reviewed. */
export const reviewSignalAction = staffAction(
  { name: 'risk.review', access: 'sessions:revoke', schema: reviewSignalInput },
  async ({ sessionId, kind, fingerprint, note }, ctx) => {
    const session = await getSession(sessionId);
    const risk = await getUserRisk(session.userId);
    const signal = risk.signals.find(
      (s) => s.sessionId === sessionId && s.kind === kind && s.fingerprint === fingerprint,
    );
    if (!signal) return fail('not_found', 'This session no longer shows that signal. Reload the page.');
    const { staff } = ctx;
    return ctx.audited(
      'risk.review',
      { sessionId, userId: session.userId },
      { reason: note, signal: kind, severity: signal.severity, fingerprint },
      async () => {
        const review = await riskReviews(await getDb()).record({
          sessionId,
          userId: session.userId,
          kind,
          fingerprint,
          note,
          staff: { id: staff.id, email: staff.email },
        });
        return ok('Signal marked reviewed.', review);
      },
      { errorCode: 'review_not_stored' },
    );
  },
);
