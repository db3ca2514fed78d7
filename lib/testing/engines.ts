import { afterAll, beforeAll } from 'vitest';
import { removeTempSqlite, startTestPostgres, type TestPostgres } from './pg';

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
