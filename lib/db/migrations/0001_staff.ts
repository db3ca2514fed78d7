import 'server-only';
import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('staff')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('viewer', 'support', 'admin')`))
        .addColumn('password_hash', 'text')
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('password', 'oidc')`))
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('session_version', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', time, (c) => c.notNull())
        .addColumn('updated_at', time, (c) => c.notNull())
        .addColumn('last_sign_in_at', time)
        .execute();
    },
  };
}
