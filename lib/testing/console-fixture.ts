// What an integration suite running console code starts with: the embedded API (faults on), the console pointed at
// it with a data folder of its own, its database open, and a staff member per role asked for.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeEach } from 'vitest';
import type { Db } from '@/lib/db';
import type { Role } from '@/lib/vocabulary';
// Not a React hook, whatever its name says.
import {
  useFixtureAsConsoleApi as pointConsoleAt,
  withLocalClerk,
  type LocalClerkFixture,
} from './local-clerk-fixture';

export interface ConsoleFixture<R extends Role> {
  api: LocalClerkFixture;
  dataDir: string;
  db: Db;
  staff: Record<R, { id: string; email: string }>;
  close(): Promise<void>;
}

export async function startConsoleFixture<R extends Role = never>(opts: {
  /** Names the data folder and the staff emails (`admin@<name>.test`). */
  name: string;
  env?: Record<string, string>;
  roles?: readonly R[];
  /** The staff members' password, for suites that sign in again or step up with it. */
  password?: string;
}): Promise<ConsoleFixture<R>> {
  const api = await withLocalClerk({ faults: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `console-${opts.name}-`));
  const close = async () => {
    await (await import('@/lib/db')).closeDb();
    await api.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    pointConsoleAt(api, dataDir, opts.env);
    const db = await (await import('@/lib/db')).getDb();
    const { staffStore } = await import('@/lib/auth/staff-store');
    const staff = {} as Record<R, { id: string; email: string }>;
    for (const role of opts.roles ?? []) {
      const m = await staffStore(db).add({
        email: `${role}@${opts.name}.test`,
        role,
        password: opts.password ?? 'a long enough password',
      });
      staff[role] = { id: m.id, email: m.email };
    }
    return { api, dataDir, db, staff, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** What the mocked `auth()` answers for a signed-in staff member. */
export const staffSession = (staffId: string) => ({
  staff: { staffId, sessionVersion: 0, signedInAt: Date.now(), provider: 'credentials' },
});

/**
 * The hooks a suite on one fixture repeats: close it after the file's tests, and start each test signed out with
 * an empty request log on the API (so a test counts only its own upstream calls). `fixture` reads the suite's own.
 */
export function signedOutEachTest(
  fixture: () => Pick<ConsoleFixture<never>, 'api' | 'close'> | undefined,
  state: { session: unknown },
): void {
  afterAll(async () => {
    await fixture()?.close();
  });
  beforeEach(async () => {
    state.session = null;
    await fixture()!.api.faults.clearRequests();
  });
}
