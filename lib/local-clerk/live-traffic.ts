// Local mode's simulated users: sign-ins from their usual place and device, activity, sign-outs, and now and then
// a sign-in from a country the user never used (a planted risk pattern). Each change goes out as Clerk's webhook.
import { ID_PREFIX, newId } from './ids';
import { attribute, lastOutboxSeq } from './webhook-outbox';
import type { LocalClerkStore } from './store';
import type { SessionJson } from './types';

export const DEFAULT_LIVE_TRAFFIC_MS = 4_000;
const SESSION_LIFETIME_MS = 7 * 86_400_000;
const ABANDON_AFTER_MS = 30 * 86_400_000;
const NEW_COUNTRY_SHARE = 0.08;

export interface Seen {
  user_id: string;
  is_mobile: number | null;
  device_type: string | null;
  browser_name: string | null;
  browser_version: string | null;
  ip_address: string | null;
  city: string | null;
  country: string | null;
}

export type TrafficStep = 'sign_in' | 'new_country' | 'activity' | 'sign_out';

export interface LiveTraffic {
  /** One step now (tests drive it); returns what it did, or null when nothing fitted. */
  step(kind?: TrafficStep): { kind: TrafficStep; sessionId: string } | null;
  close(): void;
}

function documentationIp(): string {
  const net = ['192.0.2', '198.51.100', '203.0.113'][Math.floor(Math.random() * 3)];
  return `${net}.${1 + Math.floor(Math.random() * 254)}`;
}

function userAgentFor(s: Seen): string {
  const browser = `${s.browser_name ?? 'Chrome'}/${s.browser_version ?? '131.0.0.0'}`;
  return `Mozilla/5.0 (${s.device_type ?? 'Macintosh'}) ${browser}`;
}

/** A sign-in as a browser makes one: a session with its place and device, sent out as Clerk's webhook. */
export function simulateSignIn(store: LocalClerkStore, at: Seen): SessionJson {
  const now = Date.now();
  const client = {
    id: newId(ID_PREFIX.client, now),
    sign_in_id: null,
    sign_up_id: null,
    last_authentication_strategy: 'password',
    created_at: now,
    updated_at: now,
  };
  const session: SessionJson = {
    object: 'session',
    id: newId(ID_PREFIX.session, now),
    user_id: at.user_id,
    client_id: client.id,
    actor: null,
    status: 'active',
    last_active_organization_id: null,
    last_active_at: now,
    latest_activity: {
      object: 'session_activity',
      id: newId(ID_PREFIX.sessionActivity, now),
      is_mobile: Boolean(at.is_mobile),
      device_type: at.device_type ?? undefined,
      browser_name: at.browser_name ?? undefined,
      browser_version: at.browser_version ?? undefined,
      ip_address: at.ip_address ?? undefined,
      city: at.city ?? undefined,
      country: at.country ?? undefined,
    },
    expire_at: now + SESSION_LIFETIME_MS,
    abandon_at: now + ABANDON_AFTER_MS,
    updated_at: now,
    created_at: now,
    tasks: null,
  };
  const since = lastOutboxSeq(store.db);
  store.createSession(client, session);
  attribute(store.db, since, at.ip_address, userAgentFor(at));
  return session;
}

export function startLiveTraffic(
  store: LocalClerkStore,
  opts: { intervalMs?: number; auto?: boolean } = {},
): LiveTraffic {
  const db = store.db;
  const pickSeen = db.prepare<[], Seen>(
    `SELECT s.user_id, s.is_mobile, s.device_type, s.browser_name, s.browser_version, s.ip_address, s.city, s.country
     FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE u.banned = 0 AND s.activity_id IS NOT NULL AND s.country IS NOT NULL
     ORDER BY random() LIMIT 1`,
  );
  const elsewhere = db.prepare<[string], Seen>(
    `SELECT * FROM sessions WHERE country IS NOT NULL AND country NOT IN (SELECT country FROM sessions
       WHERE user_id = ? AND country IS NOT NULL) ORDER BY random() LIMIT 1`,
  );
  const pickActive = db.prepare<[], { id: string }>(
    `SELECT id FROM sessions WHERE status = 'active' ORDER BY random() LIMIT 1`,
  );
  const touch = db.prepare<[number, number, string]>(
    `UPDATE sessions SET last_active_at = ?, updated_at = ? WHERE id = ? AND status = 'active'`,
  );
  const end = db.prepare<[number, string]>(
    `UPDATE sessions SET status = 'ended', updated_at = ? WHERE id = ? AND status = 'active'`,
  );

  function signIn(seen: Seen, place: Seen | null): string | null {
    const where = place ?? seen;
    const ip = place
      ? documentationIp()
      : Math.random() < 0.7
        ? (seen.ip_address ?? documentationIp())
        : documentationIp();
    try {
      return simulateSignIn(store, { ...seen, ip_address: ip, city: where.city, country: where.country }).id;
    } catch {
      // Banned or locked since it was picked: Clerk refuses the sign-in too.
      return null;
    }
  }

  function step(kind?: TrafficStep): { kind: TrafficStep; sessionId: string } | null {
    const roll = Math.random();
    const k: TrafficStep =
      kind ??
      (roll < NEW_COUNTRY_SHARE
        ? 'new_country'
        : roll < 0.45
          ? 'sign_in'
          : roll < 0.7
            ? 'activity'
            : 'sign_out');
    if (k === 'sign_in' || k === 'new_country') {
      const seen = pickSeen.get();
      if (!seen) return null;
      const place = k === 'new_country' ? (elsewhere.get(seen.user_id) ?? null) : null;
      if (k === 'new_country' && !place) return null;
      const id = signIn(seen, place);
      return id ? { kind: k, sessionId: id } : null;
    }
    const active = pickActive.get();
    if (!active) return null;
    const now = Date.now();
    if (k === 'activity') touch.run(now, now, active.id);
    else end.run(now, active.id);
    return { kind: k, sessionId: active.id };
  }

  let timer: NodeJS.Timeout | null = null;
  const interval = opts.intervalMs ?? DEFAULT_LIVE_TRAFFIC_MS;
  const next = () => {
    // Jittered around the interval: a gentle, irregular rate.
    timer = setTimeout(
      () => {
        try {
          step();
        } catch {
          // A simulated user must never stop the embedded API.
        }
        next();
      },
      interval * (0.5 + Math.random()),
    );
    timer.unref();
  };
  if (opts.auto !== false) next();
  return {
    step,
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
