import 'server-only';
import { APPROVAL_ACTION_NAMES, type ApprovalAction, type ApprovalRules } from '@/lib/vocabulary';
import { ConfigError, int, raw, type EnvSource } from './parse';

export type ApprovalsConfig = ApprovalRules;

export function parseApprovals(source: EnvSource): ApprovalsConfig {
  const mode = raw(source, 'APPROVALS')?.toLowerCase() ?? 'on';
  if (mode !== 'on' && mode !== 'off')
    throw new ConfigError(
      'APPROVALS must be on or off (off: one admin acts alone, for a single-admin console).',
    );
  const minUsers = int(
    source,
    'APPROVAL_MIN_USERS',
    { min: 0, max: 1_000_000, fallback: 10 },
    'APPROVAL_MIN_USERS must be a whole number from 0 to 1000000 (a job over more users needs a second admin).',
  );
  const minSessions = int(
    source,
    'APPROVAL_MIN_SESSIONS',
    { min: 0, max: 10_000_000, fallback: 500 },
    'APPROVAL_MIN_SESSIONS must be a whole number from 0 to 10000000 (a job over more sessions needs a second admin).',
  );
  const ttlHours = int(
    source,
    'APPROVAL_TTL_HOURS',
    { min: 1, max: 168, fallback: 24 },
    'APPROVAL_TTL_HOURS must be a whole number of hours from 1 to 168.',
  );
  const list = raw(source, 'APPROVAL_ACTIONS') ?? 'ban,mfa_reset';
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const actions = names.includes('none') ? [] : names;
  const unknown = actions.filter((a) => !(APPROVAL_ACTION_NAMES as readonly string[]).includes(a));
  if (unknown.length || (names.includes('none') && names.length > 1))
    throw new ConfigError(
      `APPROVAL_ACTIONS must be none or a comma-separated list of: ${APPROVAL_ACTION_NAMES.join(', ')}.`,
    );
  return {
    enabled: mode === 'on',
    minUsers,
    minSessions,
    actions: [...new Set(actions)] as ApprovalAction[],
    ttlHours,
  };
}
