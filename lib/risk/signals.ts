// Signals only describe: nothing revokes a session on a signal's say-so.
import type { SignalKind } from '@/lib/vocabulary';
import { historyBefore, judgeNew, newCountryAndDevice, type FirstSeen } from './signal-firsts';
import {
  impossibleTravel,
  perSession,
  severalCountries,
  type RiskSession,
  type SignalOptions,
} from './signal-rules';
import type { RiskSignal } from './types';

export { newAgainstBaseline, type FirstSeen } from './signal-firsts';
export {
  IMPOSSIBLE_SPEED_KMH,
  NEARBY_KM,
  SEVERAL_COUNTRIES_WINDOW_MS,
  spanText,
  STALE_AFTER_MS,
  type RiskSession,
  type SignalOptions,
} from './signal-rules';

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
