import { describe, expect, it } from 'vitest';
import { hrefWith, paths } from './paths';

describe('hrefWith', () => {
  it('replaces params, drops empty ones and encodes values', () => {
    expect(hrefWith('/sessions', { user_id: 'user_1', status: 'all', offset: 25 }, { offset: null })).toBe(
      '/sessions?user_id=user_1&status=all',
    );
    expect(hrefWith('/users', { query: 'a&b=c d' })).toBe('/users?query=a%26b%3Dc+d');
    expect(hrefWith('/users', { query: '' })).toBe('/users');
  });
});

describe('paths', () => {
  it('builds the sessions links the pages have always rendered', () => {
    expect(paths.userSessions('user_a')).toBe('/sessions?user_id=user_a');
    expect(paths.userSessions('user_a', { status: 'all' })).toBe('/sessions?user_id=user_a&status=all');
    expect(paths.userSessions('user_a', { look: true })).toBe('/sessions?user_id=user_a&look=1');
    expect(paths.clientSessions('client_b', { status: 'all' })).toBe(
      '/sessions?client_id=client_b&status=all',
    );
    expect(paths.sessions({ userId: 'user_a', limit: 100, offset: 0 })).toBe(
      '/sessions?user_id=user_a&limit=100',
    );
  });

  it('keeps a pasted id inside its path segment or parameter', () => {
    expect(paths.session('sess_1')).toBe('/sessions/sess_1');
    expect(paths.session('../x?y')).toBe('/sessions/..%2Fx%3Fy');
    expect(paths.job('../../api/x')).toBe('/jobs/..%2F..%2Fapi%2Fx');
    expect(paths.api.jobExport('a/b')).toBe('/api/jobs/a%2Fb/export');
    expect(paths.userSessions('user_a&client_id=x')).toBe('/sessions?user_id=user_a%26client_id%3Dx');
  });

  it('builds the sign-in return link, the users search and the audit filters', () => {
    expect(paths.signIn('/sessions?user_id=user_a&status=all')).toBe(
      '/sign-in?callbackUrl=%2Fsessions%3Fuser_id%3Duser_a%26status%3Dall',
    );
    expect(paths.users()).toBe('/users');
    expect(paths.users('ada lovelace')).toBe('/users?query=ada+lovelace');
    expect(paths.audit()).toBe('/audit');
    expect(paths.audit({ target: 'sess_1' })).toBe('/audit?target=sess_1');
    expect(paths.api.job('j1', { limit: 100, offset: 0, outcome: '' })).toBe(
      '/api/jobs/j1?limit=100&offset=0',
    );
  });
});
