import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Per user, when each country, device and browser first appeared: a new session is judged against this
      // summary instead of the user's whole history (5,000 rows for the heaviest).
      await db.schema
        .createTable('session_index_baseline')
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('first_created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('session_index_baseline_pk', ['user_id', 'kind', 'value'])
        .execute();
      await db.schema
        .createIndex('session_index_user_status')
        .on('session_index')
        .columns(['user_id', 'status', 'last_active_at'])
        .execute();
      await db.schema
        .createIndex('session_index_user_active')
        .on('session_index')
        .columns(['user_id', 'last_active_at', 'session_id'])
        .execute();
      for (const [kind, column] of [
        ['country', 'country'],
        ['device', 'device_type'],
        ['browser', 'browser_name'],
      ] as const)
        await sql`insert into session_index_baseline (user_id, kind, value, first_created_at)
          select user_id, ${kind}, ${sql.ref(column)}, min(created_at) from session_index
          where ${sql.ref(column)} is not null group by user_id, ${sql.ref(column)}`.execute(db);
    },
  };
}
