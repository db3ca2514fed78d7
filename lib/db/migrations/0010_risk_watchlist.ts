import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import { timeColumn, type Engine } from '@/lib/db/migrations/engine';

export function migration(engine: Engine): Migration {
  const time = timeColumn(engine);
  return {
    async up(db: Kysely<unknown>) {
      // One row per console deployment: the latest scan, shared by every instance; the lease lets one
      // instance scan at a time.
      await db.schema
        .createTable('risk_watchlist')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('refreshed_at', time)
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', time)
        .execute();
    },
  };
}
