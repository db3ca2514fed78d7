import { describe, expect, it } from 'vitest';
import { stepOutcomes } from './secure-account-outcomes';

describe('stepOutcomes', () => {
  it('reads one line per chosen step from the job items, in the order chosen, unknown ones as pending', () => {
    const rows = [
      { step: 'password_compromised', outcome: 'refused', message: 'Your Clerk plan …', traceId: 'abc' },
      { step: 'sign_out_all', outcome: 'done', message: 'Revoked 3 sessions.', traceId: null },
      { step: 'reset_mfa', outcome: 'done' },
      { sessionId: 'sess_1', outcome: 'revoked' },
    ];
    expect(stepOutcomes(['sign_out_all', 'password_compromised', 'lock'], rows)).toEqual([
      { step: 'sign_out_all', outcome: 'done', message: 'Revoked 3 sessions.', traceId: null },
      { step: 'password_compromised', outcome: 'refused', message: 'Your Clerk plan …', traceId: 'abc' },
      { step: 'lock', outcome: 'pending', message: null, traceId: null },
    ]);
  });

  it('shows an outcome it does not know as pending, and non-text messages as none', () => {
    expect(stepOutcomes(['ban'], [{ step: 'ban', outcome: 'exploded', message: { html: '<b>' } }])).toEqual([
      { step: 'ban', outcome: 'pending', message: null, traceId: null },
    ]);
  });
});
