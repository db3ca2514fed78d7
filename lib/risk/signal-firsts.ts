// New country and new device: a session judged against the history before it, whole or rebuilt from first appearances.
import { plural } from '@/lib/vocabulary';
import { countryName } from './countries';
import { isLive, type RiskSession } from './signal-rules';
import type { RiskSignal } from './types';

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

export function judgeNew(s: RiskSession, h: History, out: RiskSignal[]): void {
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

export function newCountryAndDevice(sessions: readonly RiskSession[]): RiskSignal[] {
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
export function historyBefore(firsts: readonly FirstSeen[], createdAt: number, older: number): History {
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
