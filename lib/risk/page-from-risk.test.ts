// A user's sessions page cut from the risk read: it must be the page the upstream list would have answered, or
// nothing (and the page is then listed upstream).
import { describe, expect, it } from 'vitest';
import type { SessionDto, SessionStatus } from '@/lib/clerk/dto';
import { sessionsPageFromRisk, type UserRisk } from './server';

const session = (i: number, status: SessionStatus): SessionDto => ({
  id: `sess_${String(i).padStart(27, '0')}`,
  userId: 'user_2f75J8HrHTceqRpdfJSzGMvBz9Q',
  clientId: 'client_2f75J8HrHTceqRpdfJSzGMvBz9Q',
  status,
  lastActiveAt: 1_700_000_000_000 - i,
  expireAt: 1_800_000_000_000,
  abandonAt: 1_800_000_000_000,
  createdAt: 1_700_000_000_000 - i,
  updatedAt: 1_700_000_000_000 - i,
  lastActiveOrganizationId: null,
  actor: null,
  latestActivity: null,
});
// Newest first, as the upstream list answers: every third session is active, the rest revoked.
const sessions = (n: number) =>
  Array.from({ length: n }, (_, i) => session(i, i % 3 === 0 ? 'active' : 'revoked'));
const risk = (held: SessionDto[], totalCount: number): UserRisk => ({
  userId: 'user_2f75J8HrHTceqRpdfJSzGMvBz9Q',
  signals: [],
  sessions: held,
  totalCount,
  computedAt: 0,
});
const ids = (page: { data: SessionDto[] } | null) => page?.data.map((s) => s.id);

describe('a sessions page cut from the risk read', () => {
  it('is the same slice of the newest sessions for any status when the read holds them all', () => {
    const all = sessions(40);
    const r = risk(all, 40);
    expect(ids(sessionsPageFromRisk(r, { status: 'all', limit: 25, offset: 0 }))).toEqual(
      ids({ data: all.slice(0, 25) }),
    );
    const active = all.filter((s) => s.status === 'active');
    const page = sessionsPageFromRisk(r, { status: 'active', limit: 5, offset: 5 });
    expect(ids(page)).toEqual(ids({ data: active.slice(5, 10) }));
    expect(page?.totalCount).toBe(active.length);
    expect(sessionsPageFromRisk(r, { status: 'ended', limit: 25, offset: 0 })).toEqual({
      data: [],
      totalCount: 0,
    });
  });

  it('serves "all" from the newest 500 of a bigger user, with the user’s whole count', () => {
    const newest = sessions(500);
    const r = risk(newest, 5000);
    const page = sessionsPageFromRisk(r, { status: 'all', limit: 25, offset: 475 });
    expect(ids(page)).toEqual(ids({ data: newest.slice(475, 500) }));
    expect(page?.totalCount).toBe(5000);
  });

  it('gives nothing when the read does not hold the page: past the newest 500, or a status filter on a partial read', () => {
    const r = risk(sessions(500), 5000);
    expect(sessionsPageFromRisk(r, { status: 'all', limit: 25, offset: 490 })).toBeNull();
    expect(sessionsPageFromRisk(r, { status: 'active', limit: 25, offset: 0 })).toBeNull();
  });
});
