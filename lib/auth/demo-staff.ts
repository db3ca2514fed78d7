import 'server-only';
import { getEnv } from '@/lib/env';
import { getDb } from '@/lib/db';
import { staffStore } from '@/lib/auth/staff-store';
import { DEMO_STAFF } from '@/lib/demo-accounts';

export { DEMO_STAFF };

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
