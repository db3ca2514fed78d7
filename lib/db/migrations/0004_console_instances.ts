import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('console_instances')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('started_at', time, (c) => c.notNull())
        .execute();
    },
  };
}
