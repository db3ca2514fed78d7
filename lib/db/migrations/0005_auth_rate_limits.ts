import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '@/lib/db/migrations/engine';

// The shape rate-limiter-flexible's SQLite and PostgreSQL stores expect (created here, not by the library, so
// that instances starting together never race on DDL). `expire` is epoch milliseconds.
export function migration(engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('auth_rate_limits')
        .addColumn('key', engine === 'postgres' ? 'varchar(255)' : 'text', (c) => c.primaryKey())
        .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('expire', 'bigint')
        .execute();
    },
  };
}
