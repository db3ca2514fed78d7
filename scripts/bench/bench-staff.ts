import type { Db } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import type { JobActor } from '@/lib/jobs/store/reads';

/**
 * The support member a benchmark's jobs run as. A job runs as a real staff row (the runner pauses one whose member
 * is missing, disabled or demoted), so the benchmark makes that row, or takes the one already there.
 */
export async function benchActor(db: Db, email = 'bench@example.com'): Promise<JobActor> {
  const store = staffStore(db);
  const member = (await store.findByEmail(email)) ?? (await store.add({ email, role: 'support' }));
  return { staffId: member.id, email: member.email, role: member.role };
}
