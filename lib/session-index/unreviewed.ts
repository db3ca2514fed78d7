import { sql } from 'kysely';

/**
 * For a query over `session_signals as ss`: the signal has no review. A review covers one session, kind and
 * fingerprint, so a signal whose evidence changed (a new fingerprint) is open again.
 */
export const unreviewed = sql<boolean>`not exists (
  select 1 from risk_reviews rr
  where rr.session_id = ss.session_id and rr.kind = ss.kind and rr.fingerprint = ss.fingerprint
)`;
