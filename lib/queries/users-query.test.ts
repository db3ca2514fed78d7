import { describe, expect, it } from 'vitest';
import { parseUsersQuery, usersParams } from './users-query';

describe('parseUsersQuery', () => {
  it('reads the search and paging, trimming the query', () => {
    expect(parseUsersQuery({ query: '  ada@example.com ', limit: '50', offset: '100' })).toEqual({
      query: 'ada@example.com',
      limit: 50,
      offset: 100,
    });
  });
  it('falls back to defaults for hand-edited paging and caps the query length', () => {
    expect(parseUsersQuery({ limit: '7', offset: '-3' })).toEqual({ query: '', limit: 25, offset: 0 });
    expect(parseUsersQuery({ query: 'x'.repeat(1000), offset: '1.5' })).toEqual({
      query: 'x'.repeat(256),
      limit: 25,
      offset: 0,
    });
  });
  it('keeps links canonical', () => {
    expect(usersParams({ query: 'ada', limit: 25, offset: 0 })).toEqual({
      query: 'ada',
      limit: undefined,
      offset: undefined,
    });
  });
});
