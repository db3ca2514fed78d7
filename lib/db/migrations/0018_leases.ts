import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

// Issue 20: a named instance-wide lease (the session index backfill's) in the same two columns as every other lease.
// The backfill's turn moves over from its encoded `<16-digit expiry ms> <owner>` row, so an upgrade mid-fill
// does not start a second filler.
export function migration(engine: Engine): Migration {
  const until =
    engine === 'postgres'
      ? sql`to_timestamp(cast(substr(value, 1, 16) as bigint) / 1000.0)`
      : sql`strftime('%Y-%m-%dT%H:%M:%fZ', cast(substr(value, 1, 16) as integer) / 1000.0, 'unixepoch')`;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', timeColumn(engine))
        .execute();
      await sql`insert into leases (name, lease_owner, lease_until)
        select 'backfill', substr(value, 18), ${until} from session_index_state
        where key = 'backfill_lease'`.execute(db);
      await sql`delete from session_index_state where key = 'backfill_lease'`.execute(db);
    },
  };
}
