import 'server-only';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import type { Role } from '@/lib/auth/roles';

export const DEMO_STAFF: readonly { email: string; role: Role }[] = [
  { email: 'admin@example.com', role: 'admin' },
  { email: 'support@example.com', role: 'support' },
  { email: 'viewer@example.com', role: 'viewer' },
];

/** Local mode only: the three demo accounts exist. Never in remote mode (getEnv gives no demo password there). */
export async function ensureDemoStaff(): Promise<void> {
  const env = getEnv();
  if (env.mode !== 'local' || !env.demoStaffPassword) return;
  const store = staffStore(await getDb());
  for (const { email, role } of DEMO_STAFF) {
    if (await store.findByEmail(email)) continue;
    try {
      await store.add({ email, role, password: env.demoStaffPassword });
    } catch {
      // Another console instance created it first.
    }
  }
}
