// The rules of travel, several countries, impersonation and stale: each a pure function of one user's sessions.
import type { SessionDto } from '@/lib/clerk/dto';
import { plural, type Severity } from '@/lib/vocabulary';
import { countryName } from './countries';
import { distanceKm, type GeoLookup, type GeoPoint } from './geo';
import type { RiskSignal } from './types';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

export const IMPOSSIBLE_SPEED_KMH = 1_000;
// IP geolocation puts one metro area's addresses in neighbouring towns.
export const NEARBY_KM = 100;
export const SEVERAL_COUNTRIES_WINDOW_MS = 12 * HOUR;
export const STALE_AFTER_MS = 30 * DAY;

export type RiskSession = Pick<
  SessionDto,
  'id' | 'status' | 'createdAt' | 'lastActiveAt' | 'actor' | 'latestActivity'
>;

export interface SignalOptions {
  now: number;
  geo: GeoLookup;
}

export const isLive = (s: RiskSession) => s.status === 'active' || s.status === 'pending';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const roundKm = (km: number) => (km >= 100 ? Math.round(km / 10) * 10 : Math.round(km));

export function spanText(ms: number): string {
  const m = Math.round(Math.abs(ms) / MIN);
  if (m < 1) return 'under a minute';
  if (m < 60) return `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return `${h} h`;
  return `${fmt(Math.round(h / 24))} days`;
}

const agoText = (at: number, now: number) => (now - at < MIN ? 'just now' : `${spanText(now - at)} ago`);

function placeText(city: string | null, country: string): string {
  const name = countryName(country) ?? country;
  return city ? `${city}, ${name}` : name;
}

interface Located {
  s: RiskSession;
  at: number;
  country: string;
  city: string | null;
  point: GeoPoint;
}

function memoLocate(geo: GeoLookup) {
  const seen = new Map<string, Map<string, GeoPoint | null>>();
  return (country: string, city: string | null) => {
    let byCity = seen.get(country);
    if (!byCity) seen.set(country, (byCity = new Map()));
    let p = byCity.get(city ?? '');
    if (p === undefined) {
      p = geo.locate(country, city);
      byCity.set(city ?? '', p);
    }
    return p;
  };
}

function locate(s: RiskSession, lookup: ReturnType<typeof memoLocate>): Located | null {
  const country = s.latestActivity?.country ?? null;
  if (!country) return null;
  const city = s.latestActivity?.city ?? null;
  const point = lookup(country, city);
  if (!point) return null;
  return { s, at: s.lastActiveAt, country: country.toUpperCase(), city, point };
}

function approximation(a: Located, b: Located): string {
  const fuzzy = [a, b].filter((p) => p.point.precision === 'country');
  if (fuzzy.length === 0) return '';
  const names = fuzzy.map((p) =>
    p.city
      ? `${p.city} is not in the city list, so the centre of ${countryName(p.country) ?? p.country} is used`
      : `no city for ${countryName(p.country) ?? p.country}, so its centre is used`,
  );
  return `; approximate: ${names.join('; ')}`;
}

// Consecutive activities suffice: if A→C is too fast then A→B or B→C is too (triangle inequality).
export function impossibleTravel(
  sessions: readonly RiskSession[],
  { geo, now }: SignalOptions,
): RiskSignal[] {
  const lookup = memoLocate(geo);
  const points = sessions
    .map((s) => locate(s, lookup))
    .filter((p): p is Located => p !== null)
    .sort((a, b) => a.at - b.at || (a.s.id < b.s.id ? -1 : 1));
  const out = new Map<string, { signal: RiskSignal; speed: number }>();
  for (let i = 1; i < points.length; i++) {
    const prev = points[i - 1] as Located;
    const cur = points[i] as Located;
    // A country centre says nothing about a journey inside that country.
    if (
      prev.country === cur.country &&
      (prev.point.precision === 'country' || cur.point.precision === 'country')
    )
      continue;
    const km = distanceKm(prev.point, cur.point);
    if (km < NEARBY_KM) continue;
    const hours = (cur.at - prev.at) / HOUR;
    const speed = hours > 0 ? km / hours : Infinity;
    if (!(speed > IMPOSSIBLE_SPEED_KMH)) continue;
    const target = isLive(cur.s) ? cur : isLive(prev.s) ? prev : null;
    if (!target) continue;
    const other = target === cur ? prev : cur;
    const when = target === cur ? 'earlier' : 'later';
    const gap = cur.at === prev.at ? 'at the same time' : `${spanText(cur.at - prev.at)} ${when}`;
    const pace = Number.isFinite(speed) ? ` (${fmt(roundSpeed(speed))} km/h)` : '';
    const seen = out.get(target.s.id);
    if (seen && seen.speed >= speed) continue;
    out.set(target.s.id, {
      speed,
      signal: {
        sessionId: target.s.id,
        kind: 'impossible_travel',
        severity: 'high',
        evidence:
          `${placeText(target.city, target.country)}, ${agoText(target.at, now)}: ${fmt(roundKm(km))} km from ` +
          `${placeText(other.city, other.country)} ${gap}${pace}${approximation(target, other)}`,
        fingerprint: `${other.s.id}|${other.country}|${other.city ?? ''}|${target.country}|${target.city ?? ''}`,
      },
    });
  }
  return [...out.values()].map((v) => v.signal);
}

const roundSpeed = (v: number) => (v >= 100 ? Math.round(v / 10) * 10 : Math.round(v));

export function severalCountries(sessions: readonly RiskSession[], { now }: SignalOptions): RiskSignal[] {
  const live = sessions.filter((s) => isLive(s) && s.latestActivity?.country);
  const byCountry = new Map<string, RiskSession[]>();
  for (const s of live) {
    const c = (s.latestActivity?.country as string).toUpperCase();
    const list = byCountry.get(c);
    if (list) list.push(s);
    else byCountry.set(c, [s]);
  }
  if (byCountry.size < 2) return [];
  const ranked = [...byCountry.entries()].sort(
    ([, a], [, b]) =>
      b.length - a.length ||
      Math.max(...b.map((s) => s.lastActiveAt)) - Math.max(...a.map((s) => s.lastActiveAt)),
  );
  const [mainCountry] = ranked[0] as [string, RiskSession[]];
  const countries = ranked.map(([c, ss]) => `${countryName(c) ?? c} (${plural(ss.length, 'session')})`);
  const fingerprint = ranked
    .map(([c]) => c)
    .sort()
    .join(',');
  const out: RiskSignal[] = [];
  for (const [country, ss] of ranked) {
    if (country === mainCountry) continue;
    for (const s of ss) {
      let closest = Infinity;
      for (const o of live)
        if (o.latestActivity?.country?.toUpperCase() !== country)
          closest = Math.min(closest, Math.abs(o.lastActiveAt - s.lastActiveAt));
      const severity: Severity = closest <= SEVERAL_COUNTRIES_WINDOW_MS ? 'high' : 'medium';
      out.push({
        sessionId: s.id,
        kind: 'several_countries',
        severity,
        evidence: `Active sessions last used in ${byCountry.size} countries: ${countries.join(', ')}; this one ${agoText(s.lastActiveAt, now)}, ${spanText(closest)} from one in another country`,
        fingerprint,
      });
    }
  }
  return out;
}

export function perSession(sessions: readonly RiskSession[], { now }: SignalOptions): RiskSignal[] {
  const out: RiskSignal[] = [];
  for (const s of sessions) {
    if (s.status !== 'active') continue;
    if (s.actor) {
      const who = s.actor.sub ?? 'an unnamed actor';
      const via = s.actor.iss ? ` via ${s.actor.iss}` : '';
      out.push({
        sessionId: s.id,
        kind: 'impersonation',
        severity: 'medium',
        evidence: `Active session opened by ${who}${via} acting as this user; last used ${agoText(s.lastActiveAt, now)}`,
        fingerprint: s.actor.sub ?? '',
      });
    }
    if (now - s.lastActiveAt >= STALE_AFTER_MS) {
      out.push({
        sessionId: s.id,
        kind: 'stale',
        severity: 'low',
        evidence: `Active but unused for ${spanText(now - s.lastActiveAt)} (the limit is ${spanText(STALE_AFTER_MS)})`,
        fingerprint: '',
      });
    }
  }
  return out;
}
