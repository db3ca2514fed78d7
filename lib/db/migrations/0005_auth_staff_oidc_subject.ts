import 'server-only';
import type { Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

// An SSO staff member is the identity provider's (issuer, subject), never an email alone.
export function migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('staff').addColumn('oidc_issuer', 'text').execute();
      await db.schema.alterTable('staff').addColumn('oidc_subject', 'text').execute();
      await db.schema
        .createIndex('staff_oidc_identity')
        .on('staff')
        .columns(['oidc_issuer', 'oidc_subject'])
        .unique()
        .execute();
    },
  };
}
