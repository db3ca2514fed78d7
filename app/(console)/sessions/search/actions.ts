'use server';

import { z } from 'zod';
import { staffAction } from '@/lib/actions/staff-action';
import { fail, ok, plural } from '@/lib/vocabulary';
import { getDb } from '@/lib/db';
import { jobTargetInput } from '@/lib/jobs/inputs';
import { signPlan, stepUpFor } from '@/lib/jobs/plan';
import { jobPolicy } from '@/lib/jobs/policy';
import { matchingLiveSessions } from '@/lib/session-index/search';
import { MAX_REVOKE_MATCHING } from '@/lib/session-index/search-link';
import { searchFiltersInput, toFilters } from '@/lib/session-index/search-query';

const matchingInput = z.object({ filters: searchFiltersInput }).strict();
const dryRunInput = z.object({ filters: searchFiltersInput, target: jobTargetInput }).strict();

const TOO_MANY = `More than ${MAX_REVOKE_MATCHING.toLocaleString('en-US')} active sessions match: one job takes ${MAX_REVOKE_MATCHING.toLocaleString('en-US')} at most. Narrow the filters (an address range, a country, a shorter time).`;

/** The live sessions the index holds for these filters, for the job dialog's target. */
export const matchingSessionsAction = staffAction(
  { name: 'job.dry_run', access: 'jobs:incident', schema: matchingInput },
  async ({ filters }) => {
    const live = await matchingLiveSessions(await getDb(), toFilters(filters), MAX_REVOKE_MATCHING);
    if (live.length > MAX_REVOKE_MATCHING) return fail('invalid_input', TOO_MANY);
    return ok(`${plural(live.length, 'active session')} match.`, {
      sessionIds: live.map((s) => s.sessionId),
    });
  },
);

// Counted from the index, not Clerk: the runner reads each session back as it goes, and one no longer active
// is recorded as "already inactive". The plan is signed for exactly these ids and this many users.
export const dryRunMatchingAction = staffAction(
  { name: 'job.dry_run', access: 'jobs:incident', schema: dryRunInput },
  async ({ filters, target }, ctx) => {
    if (target.kind !== 'sessions' || target.userId)
      return fail('invalid_input', 'Open this dialog from the search again.');
    const live = await matchingLiveSessions(await getDb(), toFilters(filters), MAX_REVOKE_MATCHING);
    if (live.length > MAX_REVOKE_MATCHING) return fail('invalid_input', TOO_MANY);
    const asked = new Set(target.sessionIds);
    if (live.length !== asked.size || !live.every((s) => asked.has(s.sessionId)))
      return fail('invalid_input', 'The matching sessions changed: close this dialog and open it again.');
    const counts = { sessions: live.length, users: new Set(live.map((s) => s.userId)).size };
    const policy = jobPolicy(target, counts);
    return ok(`${plural(counts.sessions, 'session')} of ${plural(counts.users, 'user')}.`, {
      ...counts,
      sample: live.slice(0, 5).map((s) => ({ sessionId: s.sessionId, userId: s.userId })),
      plan: signPlan(target, ctx.staff.id, counts),
      stepUp: stepUpFor(ctx.staff, policy.stepUp),
    });
  },
);
