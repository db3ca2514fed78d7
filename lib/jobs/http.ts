import 'server-only';
import { randomUUID } from 'node:crypto';
import { requireStaff, StaffAccessError, type StaffContext } from '@/lib/auth/require-staff';
import { log } from '@/lib/log';

export function jsonError(status: number, message: string) {
  return Response.json({ error: message }, { status, headers: { 'Cache-Control': 'no-store' } });
}

/**
 * A GET read of jobs: the role re-checked (denials audited by requireStaff), then the handler; any failure is a
 * fixed message with a reference, never a stack or a database error.
 */
export async function jobsRead(
  where: string,
  handler: (staff: StaffContext) => Promise<Response>,
): Promise<Response> {
  let staff: StaffContext;
  try {
    staff = await requireStaff('sessions:read', `api:${where}`);
  } catch (e) {
    if (e instanceof StaffAccessError)
      return e.kind === 'unauthenticated'
        ? jsonError(401, 'Sign in to the console first.')
        : jsonError(403, 'Your role does not allow this.');
    throw e;
  }
  try {
    return await handler(staff);
  } catch (e) {
    const errorId = randomUUID();
    log.error({ where, errorId, err: e instanceof Error ? e.name : typeof e }, 'jobs read failed');
    return jsonError(503, `Jobs could not be read. Reference ${errorId}.`);
  }
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export { jobItemsCsv, jobItemsCsvHeader, jobItemsCsvRecords } from '@/lib/jobs/csv';
