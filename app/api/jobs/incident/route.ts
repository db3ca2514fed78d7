import { requireStaff, StaffAccessError } from '@/lib/auth/require-staff';
import { toActionFailure } from '@/lib/actions/staff-action';
import { MAX_INCIDENT_BYTES } from '@/lib/jobs/types';
import { resolveIncident, type IncidentProgress, type IncidentResolution } from '@/lib/jobs/incident';
import { stepUpFor } from '@/lib/jobs/plan';
import { jobPolicy, type JobStepUp } from '@/lib/jobs/policy';
import type { StaffContext } from '@/lib/auth/require-staff';
import { readLimitedBody } from '@/lib/http/read-limited-body';
import { isConsoleFetch, isListContentType } from './request-checks';

export const dynamic = 'force-dynamic';

export type IncidentStreamLine =
  | ({ type: 'progress' } & IncidentProgress)
  | { type: 'result'; result: IncidentResolution; stepUp: JobStepUp; containStepUp: JobStepUp }
  | { type: 'error'; message: string; traceId: string | null };

function plain(status: number, message: string) {
  return new Response(`${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** A route, not an action (actions stop at 64 kB): size checked on Content-Length and while streaming. */
export async function POST(request: Request) {
  if (!isConsoleFetch(request)) return plain(403, 'Send the list from the console’s incident form.');
  let staff: StaffContext;
  try {
    staff = await requireStaff('jobs:incident', 'api:job.resolve_incident');
  } catch (e) {
    if (e instanceof StaffAccessError) return plain(e.kind === 'unauthenticated' ? 401 : 403, e.message);
    throw e;
  }
  if (!isListContentType(request)) return plain(415, 'Send the list as text/plain or text/csv.');
  const read = await readLimitedBody(request, MAX_INCIDENT_BYTES);
  if (!read.ok) return plain(413, 'The list is too long: 2 MB at most. Split it and start one job per part.');
  const { text } = read;

  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (line: IncidentStreamLine) =>
        controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`));
      try {
        const result = await resolveIncident(text, staff.id, (p) => send({ type: 'progress', ...p }));
        const userIds = [...new Set(result.found.map((f) => f.userId))];
        const policy = jobPolicy({ kind: 'users', userIds }, result.counts, true);
        send({
          type: 'result',
          result,
          stepUp: stepUpFor(staff, policy.stepUp),
          containStepUp: stepUpFor(staff, true),
        });
      } catch (e) {
        const failure = toActionFailure(e, 'job.resolve_incident');
        if (!failure.ok) send({ type: 'error', message: failure.message, traceId: failure.traceId ?? null });
      } finally {
        controller.close();
      }
    },
  });
  return new Response(body, {
    headers: {
      'Content-Type': 'application/x-ndjson; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  });
}
