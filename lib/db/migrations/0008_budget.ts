import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // The Clerk request budget every console instance shares (lib/clerk/budget.ts): one row per counter and
      // one-second bucket. `n` is a request count, or for the 429 pause row the epoch second it lasts until.
      await db.schema
        .createTable('clerk_budget')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('bucket', 'bigint', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('clerk_budget_pk', ['key', 'bucket'])
        .execute();
    },
  };
}
