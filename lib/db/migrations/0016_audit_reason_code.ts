import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from '@/lib/db/migrations/engine';

// Issue 23: a write's reason code and ticket as columns (not only in `details`), so /audit and the export filter
// them through an index on both engines. Jobs keep them too: their items' audit rows and the job page read them.
export function migration(_engine: Engine): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const audit = () => db.schema.alterTable('audit_log');
      await audit().addColumn('reason_code', 'text').execute();
      await audit().addColumn('ticket', 'text').execute();
      await db.schema
        .createIndex('audit_log_reason_code')
        .on('audit_log')
        .columns(['reason_code', 'seq'])
        .execute();
      await db.schema.createIndex('audit_log_ticket').on('audit_log').columns(['ticket', 'seq']).execute();
      const jobs = () => db.schema.alterTable('revocation_jobs');
      await jobs().addColumn('reason_code', 'text').execute();
      await jobs().addColumn('ticket', 'text').execute();
    },
  };
}
