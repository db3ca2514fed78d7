// Reads a bench console's audit log directly (its SQLite file), to count revokes per session. Server-only modules:
// run under `--conditions=react-server` (the npm script does).
import { createDb, sqlitePathFor } from '@/lib/db';
import { auditLog } from '@/lib/audit';

/** "succeeded" session.revoke rows per session id, for the ids given. */
export async function succeededRevokesPerSession(
  consoleDataDir: string,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const wanted = new Set(ids);
  const db = await createDb({ sqlitePath: sqlitePathFor(consoleDataDir) });
  try {
    // A reader of its own: registering as the console's instance would mark its in-flight intents unknown.
    const log = auditLog(db, { instance: { id: 'bench-reader', startedAt: new Date(0) } });
    const counts = new Map<string, number>();
    for (let offset = 0; ; offset += 500) {
      const { rows } = await log.list({ action: 'session.revoke', outcome: 'succeeded', limit: 500, offset });
      for (const r of rows) {
        const id = r.target.sessionId;
        if (id && wanted.has(id)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      if (rows.length < 500) return counts;
    }
  } finally {
    await db.destroy();
  }
}
