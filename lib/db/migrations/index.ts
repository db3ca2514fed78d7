import 'server-only';
import type { Migration } from 'kysely/migration';
import type { Engine } from '@/lib/db/migrations/engine';
import { migration as staff } from '@/lib/db/migrations/0001_staff';
import { migration as signInAttempts } from '@/lib/db/migrations/0002_sign_in_attempts';
import { migration as auditLog } from '@/lib/db/migrations/0003_audit_log';
import { migration as consoleInstances } from '@/lib/db/migrations/0004_console_instances';
import { migration as authRateLimits } from '@/lib/db/migrations/0005_auth_rate_limits';
import { migration as authStaffOidcSubject } from '@/lib/db/migrations/0005_auth_staff_oidc_subject';
import { migration as auditDenials } from '@/lib/db/migrations/0006_audit_denials';
import { migration as idemKeys } from '@/lib/db/migrations/0007_idem_keys';
import { migration as budget } from '@/lib/db/migrations/0008_budget';
import { migration as jobs } from '@/lib/db/migrations/0009_jobs';
import { migration as jobsItems } from '@/lib/db/migrations/0009_jobs_items';
import { migration as riskReviews } from '@/lib/db/migrations/0010_risk_reviews';
import { migration as riskWatchlist } from '@/lib/db/migrations/0010_risk_watchlist';
import { migration as jobsTrust } from '@/lib/db/migrations/0011_jobs_trust';
import { migration as jobsAccount } from '@/lib/db/migrations/0012_jobs_account';
import { migration as sessionIndex } from '@/lib/db/migrations/0013_session_index';
import { migration as sessionSignals } from '@/lib/db/migrations/0013_session_signals';
import { migration as auditStreamOutbox } from '@/lib/db/migrations/0014_audit_stream_outbox';
import { migration as approvals } from '@/lib/db/migrations/0015_approvals';
import { migration as auditReasonCode } from '@/lib/db/migrations/0016_audit_reason_code';
import { migration as sessionIndexBaseline } from '@/lib/db/migrations/0017_session_index_baseline';
import { migration as leases } from '@/lib/db/migrations/0018_leases';

export type { Engine } from '@/lib/db/migrations/engine';

/**
 * The schema, in the order the migrations run: Kysely's Migrator sorts the keys (JavaScript's default string sort)
 * and runs them in that order. A key is recorded in every database that ran it: never rename one, never edit one
 * that has shipped; add the next one (its file named after its key) at the end. Both engines get the same tables;
 * only column types, identity columns and the trigger language differ.
 */
const MIGRATIONS: readonly (readonly [string, (engine: Engine) => Migration])[] = [
  ['0001_staff', staff],
  ['0002_sign_in_attempts', signInAttempts],
  ['0003_audit_log', auditLog],
  ['0004_console_instances', consoleInstances],
  ['0005_auth_rate_limits', authRateLimits],
  ['0005_auth_staff_oidc_subject', authStaffOidcSubject],
  ['0006_audit_denials', auditDenials],
  ['0007_idem_keys', idemKeys],
  ['0008_budget', budget],
  ['0009_jobs', jobs],
  ['0009_jobs_items', jobsItems],
  ['0010_risk_reviews', riskReviews],
  ['0010_risk_watchlist', riskWatchlist],
  ['0011_jobs_trust', jobsTrust],
  ['0012_jobs_account', jobsAccount],
  ['0013_session_index', sessionIndex],
  ['0013_session_signals', sessionSignals],
  ['0014_audit_stream_outbox', auditStreamOutbox],
  ['0015_approvals', approvals],
  ['0016_audit_reason_code', auditReasonCode],
  ['0017_session_index_baseline', sessionIndexBaseline],
  ['0018_leases', leases],
];

export function buildMigrations(engine: Engine): Record<string, Migration> {
  return Object.fromEntries(MIGRATIONS.map(([name, build]) => [name, build(engine)]));
}
