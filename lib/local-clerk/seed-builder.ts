import { Faker, base, en } from '@faker-js/faker';
import { ID_PREFIX, ksuid, type IdPrefix } from './ids';
import { createRng, type Rng } from './rng';
import {
  ABANDON_AFTER,
  asciiSlug,
  AUTH_STRATEGIES,
  DAY,
  DEVICE_KINDS,
  EMAIL_DOMAINS,
  HOUR,
  ID_TIME_BASE,
  IMPERSONATION_ISSUER,
  LIVE,
  MIN,
  REGIONS,
  SESSION_LIFETIME,
  TRIP_ISOLATION,
  type Device,
  type DeviceKind,
  type KitItem,
  type PersonPlan,
  type Place,
  type Region,
  type SessionSpec,
} from './seed-data';
import { buildUser } from './seed-user';
import type { SessionActivityJson, SessionJson, SessionStatus, UserJson } from './types';

export class SeedBuilder {
  readonly rng: Rng;
  private readonly idRng: Rng;
  private readonly fakers = new Map<Region, Faker>();
  readonly users: UserJson[] = [];
  readonly sessions: SessionJson[] = [];
  readonly devices: Device[] = [];
  private readonly emails = new Set<string>();
  private nextPhone = 100;
  readonly instanceId: string;
  readonly staffIds: string[];
  readonly orgIds: string[];

  constructor(
    readonly seed: string,
    readonly now: number,
  ) {
    this.rng = createRng(seed, 'data');
    this.idRng = createRng(seed, 'ids');
    this.instanceId = this.id(ID_PREFIX.instance, now - 800 * DAY);
    // Dashboard staff who impersonate users: not users of this instance, like on real Clerk.
    this.staffIds = Array.from({ length: 4 }, (_, i) => this.id(ID_PREFIX.user, now - (900 + i) * DAY));
    this.orgIds = Array.from({ length: 12 }, (_, i) =>
      this.id(ID_PREFIX.organization, now - (600 - i * 20) * DAY),
    );
  }

  id(prefix: IdPrefix, atMs: number): string {
    return `${prefix}_${ksuid(ID_TIME_BASE + (atMs - this.now), this.idRng.bytes(16))}`;
  }

  faker(region: Region): Faker {
    let f = this.fakers.get(region);
    if (!f) {
      f = new Faker({ locale: [region.locale, en, base] });
      f.seed(createRng(this.seed, `faker:${region.country}`).ints(4));
      this.fakers.set(region, f);
    }
    return f;
  }

  place(region: Region): Place {
    const cities = region.locale.location?.city_name ?? en.location?.city_name ?? ['Springfield'];
    return { city: this.rng.pick(cities), country: region.country };
  }

  uniqueEmail(first: string, last: string): string {
    const f = asciiSlug(first) || 'user';
    const l = asciiSlug(last) || 'account';
    const local = this.rng.weighted([
      [`${f}.${l}`, 45],
      [`${f}${l}`, 20],
      [`${f.charAt(0)}${l}`, 20],
      [`${f}_${l}${this.rng.int(1, 99)}`, 15],
    ] as const);
    const domain = this.rng.weighted([
      [EMAIL_DOMAINS[0], 70],
      [EMAIL_DOMAINS[1], 15],
      [EMAIL_DOMAINS[2], 15],
    ] as const);
    let email = `${local}@${domain}`;
    for (let n = 2; this.emails.has(email); n++) email = `${local}${n}@${domain}`;
    this.emails.add(email);
    return email;
  }

  reserveEmail(email: string): string {
    this.emails.add(email);
    return email;
  }

  fictionalPhone(): string {
    // +1 555-01xx numbers are reserved for fiction; the pattern matches the fixtures (+15550100001).
    return `+1555010${String(this.nextPhone++).padStart(4, '0')}`;
  }

  kitItem(): KitItem {
    const kind = this.rng.weighted(DEVICE_KINDS);
    return { kind, browser: this.rng.weighted(kind.browsers.map((b) => [b, b[2]] as const)) };
  }

  newDevice(user: PersonPlan, at: number, kindOverride?: DeviceKind, browserOverride?: string): Device {
    const item = kindOverride ? null : this.rng.pick(user.kit);
    const kind = kindOverride ?? (item as KitItem).kind;
    const pickBrowser = (): KitItem['browser'] =>
      kind.browsers.find((b) => b[0] === browserOverride) ??
      this.rng.weighted(kind.browsers.map((b) => [b, b[2]] as const));
    const [browser_name, versions] = item ? item.browser : pickBrowser();
    const created = at - this.rng.int(5_000, 10 * MIN);
    const device: Device = {
      client: {
        id: this.id(ID_PREFIX.client, created),
        sign_in_id: null,
        sign_up_id: null,
        last_authentication_strategy: user.strategy,
        created_at: created,
        updated_at: created,
      },
      kind,
      browser_name,
      browser_version: this.rng.pick(versions),
      ip: this.ip(),
      liveUsers: new Set(),
    };
    this.devices.push(device);
    return device;
  }

  ip(): string {
    // Documentation ranges only (RFC 5737, RFC 3849): nothing here can point at a real host.
    if (this.rng.chance(0.12)) {
      const hex = () => this.rng.int(1, 0xffff).toString(16);
      return `2001:db8:${hex()}:${hex()}::${hex()}`;
    }
    const net = this.rng.pick(['192.0.2', '198.51.100', '203.0.113']);
    return `${net}.${this.rng.int(1, 254)}`;
  }

  times(status: SessionStatus) {
    const r = this.rng;
    const now = this.now;
    let created: number;
    let lastActive: number;
    let updated: number;
    switch (status) {
      case 'active':
      case 'pending': {
        const age = r.int(2 * MIN, SESSION_LIFETIME - 4 * HOUR);
        created = now - age;
        lastActive = now - Math.floor(age * r.next() ** 3);
        updated = lastActive;
        break;
      }
      case 'expired':
        created = now - r.int(SESSION_LIFETIME + HOUR, 60 * DAY);
        lastActive = created + r.int(MIN, SESSION_LIFETIME - MIN);
        updated = created + SESSION_LIFETIME;
        break;
      case 'abandoned':
        created = now - r.int(ABANDON_AFTER + HOUR, 120 * DAY);
        lastActive = created + r.int(MIN, 3 * DAY);
        updated = created + ABANDON_AFTER;
        break;
      default: {
        created = now - r.int(5 * MIN, 90 * DAY);
        const span = Math.min(SESSION_LIFETIME - MIN, now - created);
        lastActive = created + Math.floor(span * r.next() * 0.9);
        updated = Math.min(now, lastActive + r.int(1_000, 2 * HOUR));
      }
    }
    return {
      created,
      lastActive,
      updated,
      expire: created + SESSION_LIFETIME,
      abandon: created + ABANDON_AFTER,
    };
  }

  plantedTimes(status: SessionStatus, p: NonNullable<SessionSpec['plant']>) {
    const created = this.now - p.createdAgo;
    const lastActive = this.now - p.lastActiveAgo;
    const lifetime = p.lifetime ?? SESSION_LIFETIME;
    const live = status === 'active' || status === 'pending';
    const updated = live || status === 'expired' ? lastActive : Math.min(this.now, lastActive + 30 * MIN);
    return {
      created,
      lastActive,
      updated: status === 'expired' ? created + lifetime : updated,
      expire: created + lifetime,
      abandon: created + Math.max(ABANDON_AFTER, lifetime),
    };
  }

  pickDevice(user: PersonPlan, devices: Device[], live: boolean, at: number, allowShared: boolean): Device {
    const free = live ? devices.filter((d) => !d.liveUsers.has(user.id)) : devices;
    if (free.length > 0 && (live || this.rng.chance(0.75))) return this.rng.pick(free);
    // Multi-session clients: now and then the new device is a browser another user is already signed in on.
    if (allowShared && this.devices.length > 20 && this.rng.chance(0.06)) {
      const other = this.rng.pick(this.devices);
      if (!devices.includes(other) && !other.liveUsers.has(user.id)) {
        devices.push(other);
        return other;
      }
    }
    const d = this.newDevice(user, at);
    devices.push(d);
    return d;
  }

  addSessions(
    user: PersonPlan,
    specs: SessionSpec[],
    opts: { impersonation: number; allowShared: boolean },
  ): SessionJson[] {
    const planned = specs
      .map((spec) => ({
        spec,
        t: spec.plant ? this.plantedTimes(spec.status, spec.plant) : this.times(spec.status),
      }))
      .sort((a, b) => a.t.created - b.t.created);
    const lastActives = planned.map((p) => p.t.lastActive).sort((a, b) => a - b);
    const isolated = (at: number) => {
      const near = lastActives.filter((x) => Math.abs(x - at) < TRIP_ISOLATION);
      return near.length === 1;
    };
    const devices: Device[] = [];
    const out: SessionJson[] = [];
    for (const { spec, t } of planned) {
      const live = LIVE.has(spec.status);
      const device = spec.device ?? this.pickDevice(user, devices, live, t.created, opts.allowShared);
      if (spec.device && !devices.includes(spec.device)) devices.push(spec.device);
      if (live) device.liveUsers.add(user.id);
      const travelling = this.rng.chance(0.12);
      const trip = travelling
        ? this.place(this.rng.weighted(REGIONS.map((rg) => [rg, rg.weight] as const)))
        : null;
      const place = spec.plant?.place ?? (trip && isolated(t.lastActive) ? trip : user.home);
      const activity: SessionActivityJson = {
        object: 'session_activity',
        id: this.id(ID_PREFIX.sessionActivity, t.lastActive),
        is_mobile: device.kind.is_mobile,
        device_type: device.kind.device_type,
        browser_name: device.browser_name,
        browser_version: device.browser_version,
        ip_address: this.rng.chance(0.7) ? device.ip : this.ip(),
        city: place.city,
        country: place.country,
        ...spec.activity,
      };
      const actor =
        spec.actor !== undefined
          ? spec.actor
          : this.rng.chance(opts.impersonation)
            ? { sub: this.rng.pick(this.staffIds), iss: IMPERSONATION_ISSUER }
            : null;
      const org = spec.status !== 'pending' && user.orgId && this.rng.chance(0.7) ? user.orgId : null;
      const session: SessionJson = {
        object: 'session',
        id: this.id(ID_PREFIX.session, t.created),
        user_id: user.id,
        client_id: device.client.id,
        actor,
        status: spec.status,
        last_active_organization_id: org,
        last_active_at: t.lastActive,
        latest_activity: activity,
        expire_at: t.expire,
        abandon_at: t.abandon,
        updated_at: t.updated,
        created_at: t.created,
        tasks: spec.status === 'pending' ? [{ key: 'choose-organization' }] : null,
      };
      device.client.created_at = Math.min(device.client.created_at, t.created - 5_000);
      device.client.updated_at = Math.max(device.client.updated_at, t.updated);
      out.push(session);
    }
    if (user.banned) {
      // Banning a user revokes their sessions on Clerk: a banned user has no live session.
      for (const s of out) {
        if (LIVE.has(s.status)) {
          s.status = 'revoked';
          s.tasks = null;
          s.updated_at = Math.min(this.now, s.last_active_at + this.rng.int(MIN, HOUR));
        }
      }
    }
    this.sessions.push(...out);
    return out;
  }

  planPerson(p: Partial<PersonPlan> = {}): PersonPlan {
    const region = p.region ?? this.rng.weighted(REGIONS.map((r) => [r, r.weight] as const));
    const f = this.faker(region);
    const first = p.first ?? f.person.firstName();
    const last = p.last ?? f.person.lastName();
    const createdAt = p.createdAt ?? this.now - this.rng.int(8 * DAY, 720 * DAY);
    const plan = this.rng.weighted([
      ['free', 60],
      ['pro', 30],
      ['enterprise', 10],
    ] as const);
    const publicMetadata: Record<string, unknown> = { plan };
    if (this.rng.chance(0.25)) publicMetadata.role = this.rng.pick(['admin', 'member', 'billing', 'viewer']);
    return {
      id: p.id ?? this.id(ID_PREFIX.user, createdAt),
      first,
      last,
      email: p.email ?? this.uniqueEmail(first, last),
      phone: p.phone !== undefined ? p.phone : this.rng.chance(0.6) ? this.fictionalPhone() : null,
      username:
        p.username !== undefined
          ? p.username
          : this.rng.chance(0.3)
            ? `${asciiSlug(first) || 'user'}${asciiSlug(last).slice(0, 1)}${this.rng.int(1, 999)}`
            : null,
      region,
      home: p.home ?? this.place(region),
      kit:
        p.kit ??
        Array.from(
          {
            length: this.rng.weighted([
              [1, 40],
              [2, 50],
              [3, 10],
            ] as const),
          },
          () => this.kitItem(),
        ),
      strategy: p.strategy ?? this.rng.weighted(AUTH_STRATEGIES),
      createdAt,
      banned: p.banned ?? this.rng.chance(0.03),
      locked: p.locked ?? this.rng.chance(0.02),
      publicMetadata: p.publicMetadata ?? publicMetadata,
      orgId: p.orgId !== undefined ? p.orgId : this.rng.chance(0.25) ? this.rng.pick(this.orgIds) : null,
    };
  }

  finishUser(p: PersonPlan, sessions: SessionJson[]): UserJson {
    const user = buildUser(this, p, sessions);
    this.users.push(user);
    return user;
  }
}
