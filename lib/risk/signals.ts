// Signals only describe: nothing revokes a session on a signal's say-so.
import type { SessionDto } from '@/lib/clerk/dto';
import { plural, type Severity, type SignalKind } from '@/lib/vocabulary';
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

const isLive = (s: RiskSession) => s.status === 'active' || s.status === 'pending';

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
function impossibleTravel(sessions: readonly RiskSession[], { geo, now }: SignalOptions): RiskSignal[] {
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

interface History {
  older: number;
  countries: Map<string, number>;
  devices: Set<string>;
  browsers: Set<string>;
}

function eachWithHistory(sessions: readonly RiskSession[], visit: (s: RiskSession, h: History) => void) {
  const ordered = [...sessions].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const h: History = { older: 0, countries: new Map(), devices: new Set(), browsers: new Set() };
  for (let i = 0; i < ordered.length; ) {
    const at = (ordered[i] as RiskSession).createdAt;
    let j = i;
    while (j < ordered.length && (ordered[j] as RiskSession).createdAt === at)
      visit(ordered[j++] as RiskSession, h);
    for (; i < j; i++) {
      const a = (ordered[i] as RiskSession).latestActivity;
      if (a?.country) {
        const c = a.country.toUpperCase();
        h.countries.set(c, (h.countries.get(c) ?? 0) + 1);
      }
      if (a?.deviceType) h.devices.add(a.deviceType);
      if (a?.browserName) h.browsers.add(a.browserName);
      h.older++;
    }
  }
}

function listNames(codes: Iterable<string>, max = 3): string {
  const all = [...codes].map((c) => countryName(c) ?? c);
  return all.length > max ? `${all.slice(0, max).join(', ')} and ${all.length - max} more` : all.join(', ');
}

function judgeNew(s: RiskSession, h: History, out: RiskSignal[]): void {
  const { older, countries, devices, browsers } = h;
  if (!isLive(s) || older === 0) return;
  const a = s.latestActivity;
  const country = a?.country?.toUpperCase();
  if (country && countries.size > 0 && !countries.has(country)) {
    out.push({
      sessionId: s.id,
      kind: 'new_country',
      severity: 'medium',
      evidence: `${countryName(country) ?? country} (${country}): none of the ${plural(older, 'older session')} was used there (they were in ${listNames(countries.keys())})`,
      fingerprint: country,
    });
  }
  const unseen = [
    a?.deviceType && devices.size > 0 && !devices.has(a.deviceType) ? a.deviceType : null,
    a?.browserName && browsers.size > 0 && !browsers.has(a.browserName) ? a.browserName : null,
  ].filter((v): v is string => v !== null);
  if (unseen.length > 0) {
    out.push({
      sessionId: s.id,
      kind: 'new_device',
      severity: 'low',
      evidence: `${a?.browserName ?? 'Unknown browser'} on ${a?.deviceType ?? 'an unknown device'}: none of the ${plural(older, 'older session')} used ${unseen.join(' or ')}`,
      fingerprint: `${a?.deviceType ?? ''}|${a?.browserName ?? ''}`,
    });
  }
}

function newCountryAndDevice(sessions: readonly RiskSession[]): RiskSignal[] {
  const out: RiskSignal[] = [];
  eachWithHistory(sessions, (s, h) => judgeNew(s, h, out));
  return out;
}

/** When each country, device and browser first appeared among the user's sessions (created_at). */
export interface FirstSeen {
  kind: 'country' | 'device' | 'browser';
  value: string;
  firstCreatedAt: number;
}

// The history a session created at `createdAt` had, rebuilt from the first appearances alone.
function historyBefore(firsts: readonly FirstSeen[], createdAt: number, older: number): History {
  const h: History = { older, countries: new Map(), devices: new Set(), browsers: new Set() };
  for (const f of firsts) {
    if (f.firstCreatedAt >= createdAt) continue;
    if (f.kind === 'country') h.countries.set(f.value.toUpperCase(), 1);
    else if (f.kind === 'device') h.devices.add(f.value);
    else h.browsers.add(f.value);
  }
  return h;
}

/** Live sessions that would be new against their baseline: only these need the count of older sessions. */
export function newAgainstBaseline(
  live: readonly RiskSession[],
  firsts: readonly FirstSeen[],
): RiskSession[] {
  return live.filter((s) => {
    const out: RiskSignal[] = [];
    judgeNew(s, historyBefore(firsts, s.createdAt, 1), out);
    return out.length > 0;
  });
}

export interface ArrivalInput {
  /** Every live session of the user. */
  live: readonly RiskSession[];
  /** Sessions whose impossible-travel signal is judged now; the others keep what was stored. */
  travelTargets: ReadonlySet<string>;
  /** The targets with their neighbours in last-activity order (live or not). */
  near: readonly RiskSession[];
  firsts: readonly FirstSeen[];
  /** Sessions created before each candidate's created_at (see newAgainstBaseline). */
  olderCounts: ReadonlyMap<number, number>;
}

/**
 * The signals computeSignals would find, judged from a summary instead of the whole history: new country and
 * device against the first appearances, travel from the targets' neighbours (a pair that decides a target's
 * signal is adjacent in any subset holding the target's neighbours), the rest from the live sessions.
 */
export function signalsOnArrival(input: ArrivalInput, opts: SignalOptions): RiskSignal[] {
  const fresh: RiskSignal[] = [];
  for (const s of input.live) {
    const older = input.olderCounts.get(s.createdAt);
    if (older !== undefined) judgeNew(s, historyBefore(input.firsts, s.createdAt, older), fresh);
  }
  const byId = new Map<string, RiskSession>();
  for (const s of [...input.near, ...input.live.filter((l) => input.travelTargets.has(l.id))])
    byId.set(s.id, s);
  const travel = impossibleTravel([...byId.values()], opts).filter((t) =>
    input.travelTargets.has(t.sessionId),
  );
  return finish([
    ...travel,
    ...severalCountries(input.live, opts),
    ...fresh,
    ...perSession(input.live, opts),
  ]);
}

/** Stale is the one signal that appears with time alone: it is judged when read, not only on arrival. */
export function staleSignals(sessions: readonly RiskSession[], opts: SignalOptions): RiskSignal[] {
  return finish(perSession(sessions, opts).filter((s) => s.kind === 'stale'));
}

function severalCountries(sessions: readonly RiskSession[], { now }: SignalOptions): RiskSignal[] {
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

function perSession(sessions: readonly RiskSession[], { now }: SignalOptions): RiskSignal[] {
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

const KIND_ORDER: Record<SignalKind, number> = {
  impossible_travel: 0,
  several_countries: 1,
  new_country: 2,
  new_device: 3,
  impersonation: 4,
  stale: 5,
};

export function fingerprintOf(kind: SignalKind, facts: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const text = `${kind}|${facts}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x01000197) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function computeSignals(sessions: readonly RiskSession[], opts: SignalOptions): RiskSignal[] {
  return finish([
    ...impossibleTravel(sessions, opts),
    ...severalCountries(sessions, opts),
    ...newCountryAndDevice(sessions),
    ...perSession(sessions, opts),
  ]);
}

export function sortSignals<T extends RiskSignal>(all: T[]): T[] {
  return all.sort(
    (a, b) =>
      (a.sessionId < b.sessionId ? -1 : a.sessionId > b.sessionId ? 1 : 0) ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind],
  );
}

function finish(raw: readonly RiskSignal[]): RiskSignal[] {
  return sortSignals(raw.map((s) => ({ ...s, fingerprint: fingerprintOf(s.kind, s.fingerprint) })));
}
