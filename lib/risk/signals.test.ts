// Signals from a user's sessions, against the real offline city data set (the distances are the real ones).
import { beforeAll, describe, expect, it } from 'vitest';
import type { SessionDto } from '@/lib/clerk/dto';
import { getGeoIndex } from './geo-data';
import { createGeoIndex, distanceKm, type GeoLookup } from './geo';
import { IMPOSSIBLE_SPEED_KMH, STALE_AFTER_MS, computeSignals, type RiskSession } from './signals';
import { signalSummary, type RiskSignal } from './types';
import type { SignalKind } from '@/lib/vocabulary';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);

let geo: GeoLookup;
beforeAll(async () => {
  geo = await getGeoIndex();
});

let seq = 0;
function session(
  p: {
    city?: string | null;
    country?: string | null;
    ago?: number;
    createdAgo?: number;
    status?: SessionDto['status'];
    device?: string;
    browser?: string;
    actor?: RiskSession['actor'];
  } = {},
): RiskSession {
  seq++;
  const lastActiveAt = NOW - (p.ago ?? HOUR);
  return {
    id: `sess_${String(seq).padStart(4, '0')}`,
    status: p.status ?? 'active',
    createdAt: NOW - (p.createdAgo ?? Math.max(p.ago ?? HOUR, 0) + DAY),
    lastActiveAt,
    actor: p.actor ?? null,
    latestActivity: {
      deviceType: p.device ?? 'Macintosh',
      browserName: p.browser ?? 'Chrome',
      browserVersion: '133.0.0.0',
      isMobile: false,
      ipAddress: '192.0.2.1',
      city: p.city === undefined ? 'Villejuif' : p.city,
      country: p.country === undefined ? 'FR' : p.country,
    },
  };
}

const signals = (ss: RiskSession[], now = NOW) => computeSignals(ss, { now, geo });
const ofKind = (all: RiskSignal[], kind: SignalKind) => all.filter((s) => s.kind === kind);

describe('impossible travel', () => {
  it('flags Villejuif then Neubrandenburg 40 minutes later, with the distance, gap and speed', () => {
    const home = [4, 3, 2, 1].map((h) => session({ ago: h * HOUR }));
    const before = session({ ago: 13 * HOUR + 40 * MIN });
    const away = session({ city: 'Neubrandenburg', country: 'DE', ago: 13 * HOUR });
    const found = ofKind(signals([...home, before, away]), 'impossible_travel');
    expect(found).toEqual([
      expect.objectContaining({
        sessionId: away.id,
        severity: 'high',
        evidence:
          'Neubrandenburg, Germany, 13 h ago: 930 km from Villejuif, France 40 min earlier (1,390 km/h)',
      }),
    ]);
  });

  it('does not flag a plausible flight: Paris to New York in 8 hours (about 730 km/h)', () => {
    const found = signals([
      session({ city: 'Paris', ago: 10 * HOUR }),
      session({ city: 'New York City', country: 'US', ago: 2 * HOUR }),
    ]);
    expect(ofKind(found, 'impossible_travel')).toEqual([]);
  });

  it('does not flag a train within a country: Hamburg to Munich in 5 hours, Paris to Lyon in 2', () => {
    const found = signals([
      session({ city: 'Hamburg', country: 'DE', ago: 9 * HOUR }),
      session({ city: 'Munich', country: 'DE', ago: 4 * HOUR }),
      session({ city: 'Paris', ago: 30 * HOUR }),
      session({ city: 'Lyon', ago: 28 * HOUR }),
    ]);
    expect(ofKind(found, 'impossible_travel')).toEqual([]);
  });

  it('gives nothing at all for two sessions in one city, even a minute apart', () => {
    expect(signals([session({ ago: 2 * MIN }), session({ ago: MIN })])).toEqual([]);
  });

  it('gives nothing for neighbouring towns minutes apart (Paris and Villejuif)', () => {
    expect(signals([session({ city: 'Paris', ago: 3 * MIN }), session({ ago: MIN })])).toEqual([]);
  });

  it('is not fooled by the order the sessions come in or by their ids', () => {
    const a = session({ city: 'Lisbon', country: 'PT', ago: 2 * HOUR });
    const b = session({ city: 'Warsaw', country: 'PL', ago: HOUR });
    const forward = ofKind(signals([a, b]), 'impossible_travel');
    const backward = ofKind(signals([b, a]), 'impossible_travel');
    expect(forward).toHaveLength(1);
    expect(backward).toEqual(forward);
    expect(forward[0]?.sessionId).toBe(b.id);
    expect(forward[0]?.evidence).toMatch(
      /^Warsaw, Poland, 1 h ago: 2,760 km from Lisbon, Portugal 1 h earlier/,
    );
  });

  it('flags the earlier session when the later one is no longer active, and says "later"', () => {
    const live = session({ city: 'Madrid', country: 'ES', ago: 3 * HOUR });
    const ended = session({ city: 'Helsinki', country: 'FI', ago: 2 * HOUR, status: 'ended' });
    const [found] = ofKind(signals([live, ended]), 'impossible_travel');
    expect(found?.sessionId).toBe(live.id);
    expect(found?.evidence).toMatch(/from Helsinki, Finland 1 h later/);
  });

  it('flags two far places used at the same instant, without a speed', () => {
    const a = session({ city: 'Berlin', country: 'DE', ago: HOUR });
    const b = session({ city: 'Rome', country: 'IT', ago: HOUR });
    const found = ofKind(signals([a, b]), 'impossible_travel');
    expect(found).toHaveLength(1);
    expect(found[0]?.evidence).toMatch(/km from .* at the same time$/);
  });

  it('is not flagged at exactly the threshold speed, and is one minute faster', () => {
    const from = geo.locate('DE', 'Berlin')!;
    const to = geo.locate('FR', 'Paris')!;
    const exactMs = Math.ceil((distanceKm(from, to) / IMPOSSIBLE_SPEED_KMH) * HOUR);
    const at = (gap: number) =>
      ofKind(
        signals([
          session({ city: 'Berlin', country: 'DE', ago: HOUR + gap }),
          session({ city: 'Paris', ago: HOUR }),
        ]),
        'impossible_travel',
      );
    expect(at(exactMs)).toEqual([]);
    expect(at(exactMs - MIN)).toHaveLength(1);
  });

  it('falls back to the country centre for an unknown city, and says so', () => {
    const found = ofKind(
      signals([
        session({ city: 'Atlantis', country: 'PT', ago: 2 * HOUR }),
        session({ city: 'Warsaw', country: 'PL', ago: HOUR }),
      ]),
      'impossible_travel',
    );
    expect(found).toHaveLength(1);
    expect(found[0]?.evidence).toMatch(
      /from Atlantis, Portugal 1 h earlier \(.*\); approximate: Atlantis is not in the city list, so the centre of Portugal is used$/,
    );
  });

  it('falls back to the country centre when the city is missing, and says so', () => {
    const found = ofKind(
      signals([session({ city: null, country: 'JP', ago: 2 * HOUR }), session({ city: 'Paris', ago: HOUR })]),
      'impossible_travel',
    );
    expect(found[0]?.evidence).toMatch(/from Japan 1 h earlier .*no city for Japan, so its centre is used$/);
  });

  it('never compares a country centre with a place in that same country', () => {
    const found = signals([
      session({ city: 'Zzyzxville', country: 'US', ago: 2 * HOUR }),
      session({ city: 'Los Angeles', country: 'US', ago: HOUR }),
      session({ city: null, country: 'US', ago: 30 * MIN }),
    ]);
    expect(ofKind(found, 'impossible_travel')).toEqual([]);
  });

  it('skips a session with no country at all', () => {
    const found = signals([
      session({ city: 'Tokyo', country: null, ago: 2 * HOUR }),
      session({ city: 'Paris', ago: HOUR }),
    ]);
    expect(ofKind(found, 'impossible_travel')).toEqual([]);
  });

  it('resolves an ambiguous city name within the session’s own country (Paris, Texas is near Dallas)', () => {
    const found = signals([
      session({ city: 'Dallas', country: 'US', ago: 3 * HOUR }),
      session({ city: 'Paris', country: 'US', ago: 2 * HOUR }),
    ]);
    expect(ofKind(found, 'impossible_travel')).toEqual([]);
  });

  it('reports one signal per session: its fastest leg', () => {
    const found = ofKind(
      signals([
        session({ city: 'Oslo', country: 'NO', ago: 3 * HOUR }),
        session({ city: 'Athens', country: 'GR', ago: 2 * HOUR }),
        session({ city: 'Oslo', country: 'NO', ago: HOUR }),
      ]),
      'impossible_travel',
    );
    expect(new Set(found.map((s) => s.sessionId)).size).toBe(found.length);
    expect(found).toHaveLength(2);
  });
});

describe('new country', () => {
  it('flags an active session in a country none of the older sessions showed', () => {
    const old = [
      session({ createdAgo: 20 * DAY, ago: 19 * DAY, status: 'ended' }),
      session({ createdAgo: 10 * DAY }),
    ];
    const fresh = session({ city: 'Vienna', country: 'AT', createdAgo: DAY, ago: HOUR });
    const found = ofKind(signals([...old, fresh]), 'new_country');
    expect(found).toEqual([
      expect.objectContaining({
        sessionId: fresh.id,
        severity: 'medium',
        evidence: 'Austria (AT): none of the 2 older sessions was used there (they were in France)',
      }),
    ]);
  });

  it('says nothing about the first session a user ever had, nor an ended one', () => {
    expect(ofKind(signals([session({ country: 'AT', city: 'Vienna' })]), 'new_country')).toEqual([]);
    const found = signals([
      session({ createdAgo: 10 * DAY }),
      session({ city: 'Vienna', country: 'AT', createdAgo: DAY, status: 'revoked' }),
    ]);
    expect(ofKind(found, 'new_country')).toEqual([]);
  });

  it('does not call a session older than one created at the same moment', () => {
    const a = session({ createdAgo: 5 * DAY, ago: 2 * HOUR });
    const b = session({ city: 'Vienna', country: 'AT', createdAgo: 5 * DAY, ago: HOUR * 30 });
    expect(ofKind(signals([a, b]), 'new_country')).toEqual([]);
  });
});

describe('several countries', () => {
  it('is high severity when active sessions in two countries were used within 12 hours', () => {
    const fr = [session({ ago: HOUR }), session({ ago: 2 * HOUR })];
    const de = session({ city: 'Berlin', country: 'DE', ago: 10 * HOUR });
    const found = ofKind(signals([...fr, de]), 'several_countries');
    expect(found).toEqual([
      expect.objectContaining({
        sessionId: de.id,
        severity: 'high',
        evidence:
          'Active sessions last used in 2 countries: France (2 sessions), Germany (1 session); this one 10 h ago, 8 h from one in another country',
      }),
    ]);
  });

  it('is medium when they were used further apart, and absent when only ended sessions were abroad', () => {
    const found = signals([session({ ago: HOUR }), session({ city: 'Berlin', country: 'DE', ago: 3 * DAY })]);
    expect(ofKind(found, 'several_countries').map((s) => s.severity)).toEqual(['medium']);
    const ended = signals([
      session({ ago: HOUR }),
      session({ city: 'Berlin', country: 'DE', status: 'ended' }),
    ]);
    expect(ofKind(ended, 'several_countries')).toEqual([]);
  });
});

describe('new device', () => {
  it('flags a device type or browser the older sessions never used, naming what is new', () => {
    const old = session({ createdAgo: 10 * DAY, device: 'iPhone', browser: 'Safari' });
    const fresh = session({ createdAgo: DAY, device: 'Windows', browser: 'Safari' });
    const found = ofKind(signals([old, fresh]), 'new_device');
    expect(found).toEqual([
      expect.objectContaining({
        sessionId: fresh.id,
        severity: 'low',
        evidence: 'Safari on Windows: none of the 1 older session used Windows',
      }),
    ]);
  });

  it('is quiet for the devices and browsers the user already had', () => {
    const found = signals([
      session({ createdAgo: 10 * DAY, device: 'iPhone', browser: 'Safari' }),
      session({ createdAgo: 10 * DAY, device: 'Macintosh', browser: 'Chrome' }),
      session({ createdAgo: DAY, device: 'iPhone', browser: 'Chrome' }),
    ]);
    expect(ofKind(found, 'new_device')).toEqual([]);
  });
});

describe('impersonation and stale', () => {
  const actor = { sub: 'user_2staff000000000000000000001', iss: 'https://dashboard.clerk.com' };
  it('flags an active session with an actor, and not an ended one', () => {
    const live = session({ actor });
    const found = signals([live, session({ actor, status: 'ended' })]);
    expect(ofKind(found, 'impersonation')).toEqual([
      expect.objectContaining({
        sessionId: live.id,
        severity: 'medium',
        evidence: `Active session opened by ${actor.sub} via https://dashboard.clerk.com acting as this user; last used 1 h ago`,
      }),
    ]);
  });

  it('flags an active session unused for exactly 30 days, not one a minute fresher, nor an ended one', () => {
    const stale = session({ ago: STALE_AFTER_MS });
    const fresher = session({ ago: STALE_AFTER_MS - MIN });
    const found = signals([stale, fresher, session({ ago: 40 * DAY, status: 'expired' })]);
    expect(ofKind(found, 'stale')).toEqual([
      expect.objectContaining({
        sessionId: stale.id,
        severity: 'low',
        evidence: 'Active but unused for 30 days (the limit is 30 days)',
      }),
    ]);
  });
});

describe('summary and geo index', () => {
  it('counts signals and sessions in words', () => {
    expect(signalSummary([])).toBe('No signals');
    expect(signalSummary([{ sessionId: 'a' }, { sessionId: 'a' }])).toBe('2 signals on 1 session');
    expect(signalSummary([{ sessionId: 'a' }, { sessionId: 'b' }, { sessionId: 'b' }])).toBe(
      '3 signals on 2 sessions',
    );
  });

  it('matches names whatever their case and accents, and centres a country on its population', () => {
    const idx = createGeoIndex([
      { name: 'Saint-Étienne', country: 'FR', population: 170_000, lat: 45.43, lon: 4.39 },
      { name: 'Big', country: 'ZZ', population: 3_000, lat: 10, lon: 10 },
      { name: 'Small', country: 'ZZ', population: 1_000, lat: 20, lon: 10 },
    ]);
    expect(idx.locate('fr', 'saint etienne')).toEqual({ lat: 45.43, lon: 4.39, precision: 'city' });
    const centre = idx.locate('ZZ', 'Nowhere');
    expect(centre?.precision).toBe('country');
    expect(centre?.lat).toBeCloseTo(12.5, 0);
    expect(idx.locate('QQ', 'Nowhere')).toBeNull();
  });
});
