import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('sign_in_attempts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('at', time, (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('sign_in_attempts_email_at')
        .on('sign_in_attempts')
        .columns(['email', 'at'])
        .execute();
      await db.schema
        .createIndex('sign_in_attempts_ip_at')
        .on('sign_in_attempts')
        .columns(['ip', 'at'])
        .execute();
    },
  };
}
