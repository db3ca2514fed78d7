import { describe, expect, it } from 'vitest';
import { parseApprovals } from './approvals';
import { ConfigError } from './parse';

describe('APPROVALS and APPROVAL_*', () => {
  it('defaults: on, more than 10 users or 500 sessions, any ban or MFA reset, 24 hours', () => {
    expect(parseApprovals({})).toEqual({
      enabled: true,
      minUsers: 10,
      minSessions: 500,
      actions: ['ban', 'mfa_reset'],
      ttlHours: 24,
    });
  });

  it('reads every variable; APPROVALS=off and APPROVAL_ACTIONS=none', () => {
    expect(
      parseApprovals({
        APPROVALS: 'OFF',
        APPROVAL_MIN_USERS: '0',
        APPROVAL_MIN_SESSIONS: '2000',
        APPROVAL_ACTIONS: 'none',
        APPROVAL_TTL_HOURS: '72',
      }),
    ).toEqual({ enabled: false, minUsers: 0, minSessions: 2000, actions: [], ttlHours: 72 });
    expect(parseApprovals({ APPROVAL_ACTIONS: ' lock , ban,lock' }).actions).toEqual(['lock', 'ban']);
  });

  it.each([
    [{ APPROVALS: 'maybe' }, 'APPROVALS'],
    [{ APPROVAL_MIN_USERS: '-1' }, 'APPROVAL_MIN_USERS'],
    [{ APPROVAL_MIN_SESSIONS: 'many' }, 'APPROVAL_MIN_SESSIONS'],
    [{ APPROVAL_TTL_HOURS: '0' }, 'APPROVAL_TTL_HOURS'],
    [{ APPROVAL_TTL_HOURS: '169' }, 'APPROVAL_TTL_HOURS'],
    [{ APPROVAL_ACTIONS: 'ban,delete_everything' }, 'APPROVAL_ACTIONS'],
    [{ APPROVAL_ACTIONS: 'none,ban' }, 'APPROVAL_ACTIONS'],
  ])('refuses %j, naming the variable', (source, name) => {
    expect(() => parseApprovals(source)).toThrow(ConfigError);
    expect(() => parseApprovals(source)).toThrow(name);
  });
});
