// The seed's planted risk cases show exactly their signals; travellers and ordinary users are not flagged.
import { beforeAll, describe, expect, it } from 'vitest';
import { buildSeed, type SeedData } from './seed';
import { RISK_FIXTURES } from './seed-risk';
import type { SessionJson, UserJson } from './types';
import { computeSignals } from '@/lib/risk/signals';
import { riskSessionOfJson as toRisk } from '@/lib/testing/risk-sessions';
import { getGeoIndex } from '@/lib/risk/geo-data';
import type { GeoLookup } from '@/lib/risk/geo';
import type { RiskSignal } from '@/lib/risk/types';

const NOW = Date.UTC(2026, 10, 26, 12, 0, 0);
let data: SeedData;
let geo: GeoLookup;
const byUser = new Map<string, SessionJson[]>();

beforeAll(async () => {
  data = buildSeed('session-console', NOW);
  geo = await getGeoIndex();
  for (const s of data.sessions) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s]);
});

const user = (email: string): UserJson => {
  const u = data.users.find((x) => x.email_addresses[0]?.email_address === email);
  if (!u) throw new Error(`${email} is not seeded`);
  return u;
};
const signalsOf = (u: UserJson): RiskSignal[] =>
  computeSignals((byUser.get(u.id) ?? []).map(toRisk), { now: NOW, geo });
const kinds = (ss: RiskSignal[]) => ss.map((s) => `${s.kind}:${s.severity}`).sort();

describe('planted risk cases', () => {
  it('Hélène Huet: impossible travel Villejuif → Neubrandenburg, with several countries and a new country', () => {
    const found = signalsOf(user(RISK_FIXTURES.impossibleTravel));
    expect(kinds(found)).toEqual(['impossible_travel:high', 'new_country:medium', 'several_countries:high']);
    expect(new Set(found.map((s) => s.sessionId)).size).toBe(1);
    expect(found.find((s) => s.kind === 'impossible_travel')?.evidence).toBe(
      'Neubrandenburg, Germany, 13 h ago: 930 km from Villejuif, France 40 min earlier (1,390 km/h)',
    );
  });

  it.each([
    [RISK_FIXTURES.newCountry, ['new_country:medium']],
    [RISK_FIXTURES.severalCountries, ['several_countries:high']],
    [RISK_FIXTURES.newDevice, ['new_device:low']],
    [RISK_FIXTURES.impersonated, ['impersonation:medium']],
    [RISK_FIXTURES.stale, ['stale:low']],
  ])('%s shows exactly %j', (email, expected) => {
    expect(kinds(signalsOf(user(email)))).toEqual(expected);
  });

  it.each([RISK_FIXTURES.train, RISK_FIXTURES.flight, RISK_FIXTURES.oneCity])(
    'the traveller %s is not flagged at all',
    (email) => {
      expect(signalsOf(user(email))).toEqual([]);
    },
  );
});

describe('ordinary users', () => {
  it('never need impossible travel nor show several countries within 12 hours', () => {
    const planted = new Set<string>(Object.values(RISK_FIXTURES));
    const high = data.users
      .filter((u) => !planted.has(u.email_addresses[0]?.email_address ?? ''))
      .flatMap((u) => signalsOf(u).filter((s) => s.severity === 'high'));
    expect(high).toEqual([]);
  });

  it('mostly show no signal at all: one home city, the odd trip, the same few devices', () => {
    const quiet = data.users.filter((u) => signalsOf(u).length === 0).length;
    expect(quiet / data.users.length).toBeGreaterThan(0.6);
  });
});
