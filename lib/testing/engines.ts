import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Db } from '@/lib/db';
import { openTestDb, removeTempSqlite, startTestPostgres, type TestEngine, type TestPostgres } from './pg';

/**
 * The PostgreSQL a test file's store tests share, started before its tests and removed (with the file's temp
 * SQLite files) after them. `server` is null when this machine has no PostgreSQL outside CI: those tests skip.
 */
export function postgresForThisFile(): { readonly server: TestPostgres | null } {
  let server: TestPostgres | null = null;
  beforeAll(async () => {
    server = await startTestPostgres();
  });
  afterAll(async () => {
    await server?.stop();
    removeTempSqlite();
  });
  return {
    get server() {
      return server;
    },
  };
}

/**
 * Inside a `describe.each(TEST_ENGINES)` block: a migrated, empty database on `engine` for each test (`current.db`),
 * closed after it. A PostgreSQL test skips where `pg.server` is null (see postgresForThisFile).
 */
export function dbPerTest(
  engine: TestEngine,
  pg: { readonly server: TestPostgres | null },
): { readonly db: Db } {
  let db: Db | undefined;
  beforeEach(async (ctx) => {
    if (engine === 'postgres' && !pg.server) ctx.skip();
    db = await openTestDb(engine, pg.server);
  });
  afterEach(async () => {
    await db?.destroy().catch(() => {});
    db = undefined;
  });
  return {
    get db() {
      if (!db) throw new Error('dbPerTest: the database is open only inside a test.');
      return db;
    },
  };
}
