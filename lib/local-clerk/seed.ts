// Deterministic demo data for the embedded API. The same seed string gives the same ids, names, metadata and
// relative times; absolute times are anchored to the seeding moment so that active sessions are current.
import {
  Faker,
  base,
  cs_CZ,
  da,
  de,
  de_CH,
  en,
  en_CA,
  en_IN,
  en_NG,
  es,
  es_MX,
  fi,
  fr,
  id_ID,
  it,
  pl,
  pt_PT,
} from '@faker-js/faker';
import type { LocaleDefinition } from '@faker-js/faker';
import { ID_PREFIX, ksuid, type IdPrefix } from './ids';
import { createRng, type Rng } from './rng';
import { PLANTED_USERS, type PlantedUser } from './seed-risk';
import type { ClientRow } from './serialize';
import type { LocalClerkStore } from './store';
import type {
  EmailAddressJson,
  JwtTemplateJson,
  PhoneNumberJson,
  SessionActivityJson,
  SessionJson,
  SessionStatus,
  UserJson,
} from './types';

export const DEFAULT_SEED = 'session-console';

/** Fixed users other suites rely on, by primary email address. */
export const SEED_FIXTURES = {
  ada: 'ada.lovelace@example.com',
  fiveSessions: 'five.sessions@example.com',
  heavy: 'heavy.user@example.com',
  hostileHtml: 'hostile.html@example.com',
  hostileRtl: 'hostile.rtl@example.com',
  hostileLong: 'hostile.long@example.com',
} as const;

/** Exact hostile values the seed stores, so UI tests can assert they are shown inert. */
export const HOSTILE_VALUES = {
  htmlFirstName: '<script>alert(1)</script>',
  htmlLastName: '<img src=x onerror=alert(2)>',
  htmlBrowserName: '<b>Bold</b>Browser',
  htmlCity: 'javascript:alert(3)',
  rtlFirstName: 'Mallory\u202Egnp.exe',
  rtlDeviceType: 'iPhone\u202Eenohpi',
  longFirstNameLength: 2000,
} as const;

export const SEED_JWT_TEMPLATES = {
  supportDebug: 'support-debug',
  hasura: 'hasura',
  analytics: 'analytics',
  longLived: 'long-lived',
} as const;

export const SEED_COUNTS = {
  ordinaryUsers: 340,
  fiveSessions: 5,
} as const;

export interface SeedData {
  instanceId: string;
  users: UserJson[];
  clients: ClientRow[];
  sessions: SessionJson[];
  templates: { template: JwtTemplateJson; signingKey: string | null }[];
}

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const SESSION_LIFETIME = 7 * DAY;
const ABANDON_AFTER = 30 * DAY;
// Ids embed a KSUID timestamp: a fixed base plus the (deterministic) offset from the seeding moment, so ids are
// identical across seedings and still roughly time-ordered.
const ID_TIME_BASE = Date.UTC(2025, 5, 1);
const IMPERSONATION_ISSUER = 'https://dashboard.clerk.com';

interface Region {
  locale: LocaleDefinition;
  country: string;
  lang: string;
  weight: number;
}

const REGIONS: Region[] = [
  { locale: en, country: 'US', lang: 'en-US', weight: 34 },
  { locale: en_CA, country: 'CA', lang: 'en-CA', weight: 5 },
  { locale: en_IN, country: 'IN', lang: 'en-IN', weight: 8 },
  { locale: en_NG, country: 'NG', lang: 'en-NG', weight: 2 },
  { locale: de, country: 'DE', lang: 'de-DE', weight: 9 },
  { locale: de_CH, country: 'CH', lang: 'de-CH', weight: 2 },
  { locale: fr, country: 'FR', lang: 'fr-FR', weight: 8 },
  { locale: es, country: 'ES', lang: 'es-ES', weight: 6 },
  { locale: es_MX, country: 'MX', lang: 'es-MX', weight: 4 },
  { locale: it, country: 'IT', lang: 'it-IT', weight: 5 },
  { locale: pl, country: 'PL', lang: 'pl-PL', weight: 4 },
  { locale: pt_PT, country: 'PT', lang: 'pt-PT', weight: 3 },
  { locale: fi, country: 'FI', lang: 'fi-FI', weight: 2 },
  { locale: cs_CZ, country: 'CZ', lang: 'cs-CZ', weight: 2 },
  { locale: da, country: 'DK', lang: 'da-DK', weight: 2 },
  { locale: id_ID, country: 'ID', lang: 'id-ID', weight: 2 },
];

interface DeviceKind {
  device_type: string;
  is_mobile: boolean;
  browsers: readonly (readonly [name: string, versions: readonly string[], weight: number])[];
}

const CHROME_DESKTOP = ['131.0.0.0', '132.0.0.0', '133.0.0.0', '134.0.0.0'];
const DEVICE_KINDS: readonly (readonly [DeviceKind, number])[] = [
  [
    {
      device_type: 'Macintosh',
      is_mobile: false,
      browsers: [
        ['Chrome', CHROME_DESKTOP, 50],
        ['Safari', ['17.6', '18.1', '18.3'], 30],
        ['Firefox', ['133.0', '134.0', '135.0'], 12],
        ['Edge', ['132.0.0.0', '133.0.0.0'], 8],
      ],
    },
    28,
  ],
  [
    {
      device_type: 'Windows',
      is_mobile: false,
      browsers: [
        ['Chrome', CHROME_DESKTOP, 60],
        ['Edge', ['131.0.0.0', '132.0.0.0', '133.0.0.0'], 28],
        ['Firefox', ['133.0', '134.0', '135.0'], 12],
      ],
    },
    30,
  ],
  [
    {
      device_type: 'Linux',
      is_mobile: false,
      browsers: [
        ['Chrome', CHROME_DESKTOP, 55],
        ['Firefox', ['128.0', '134.0', '135.0'], 45],
      ],
    },
    5,
  ],
  [
    {
      device_type: 'iPhone',
      is_mobile: true,
      browsers: [
        ['Safari', ['17.6', '18.1', '18.3'], 80],
        ['Chrome', ['131.0.6778.73', '132.0.6834.78'], 20],
      ],
    },
    22,
  ],
  [
    {
      device_type: 'Android',
      is_mobile: true,
      browsers: [
        ['Chrome', ['131.0.6778.135', '132.0.6834.79', '133.0.6943.49'], 75],
        ['Samsung Internet', ['26.0', '27.0'], 15],
        ['Firefox', ['134.0', '135.0'], 10],
      ],
    },
    12,
  ],
  [{ device_type: 'iPad', is_mobile: true, browsers: [['Safari', ['17.6', '18.1', '18.3'], 100]] }, 3],
];

const ORDINARY_STATUS_WEIGHTS: readonly (readonly [SessionStatus, number])[] = [
  ['active', 50],
  ['ended', 14],
  ['expired', 10],
  ['revoked', 6],
  ['removed', 6],
  ['abandoned', 6],
  ['replaced', 5],
  ['pending', 3],
];

const HEAVY_STATUS_COUNTS: Record<SessionStatus, number> = {
  active: 1500,
  ended: 1000,
  expired: 900,
  revoked: 400,
  removed: 300,
  abandoned: 400,
  replaced: 400,
  pending: 100,
};

const AUTH_STRATEGIES = [
  ['email_code', 40],
  ['password', 35],
  ['oauth_google', 20],
  ['passkey', 5],
] as const;
const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
const LIVE: ReadonlySet<SessionStatus> = new Set(['active', 'pending']);

interface KitItem {
  kind: DeviceKind;
  browser: readonly [name: string, versions: readonly string[], weight: number];
}

interface Device {
  client: ClientRow;
  kind: DeviceKind;
  browser_name: string;
  browser_version: string;
  ip: string;
  liveUsers: Set<string>;
}

interface Place {
  city: string;
  country: string;
}

interface PersonPlan {
  id: string;
  first: string;
  last: string;
  email: string;
  phone: string | null;
  username: string | null;
  region: Region;
  home: Place;
  /** The devices this person signs in with (a laptop, a phone): new devices come from here, so they repeat. */
  kit: KitItem[];
  strategy: string;
  createdAt: number;
  banned?: boolean;
  locked?: boolean;
  publicMetadata: Record<string, unknown>;
  orgId: string | null;
}

interface SessionSpec {
  status: SessionStatus;
  /** Overrides for fixtures; otherwise generated. */
  device?: Device;
  activity?: Partial<Pick<SessionActivityJson, 'device_type' | 'browser_name' | 'city' | 'country'>>;
  actor?: SessionJson['actor'];
  /** Planted sessions: exact times (ms before now), place and lifetime instead of generated ones. */
  plant?: { createdAgo: number; lastActiveAgo: number; place: Place; lifetime?: number };
}

/** A trip is only kept when no other activity of the user is this close in time (see seed-risk.ts). */
const TRIP_ISOLATION = DAY;

class SeedBuilder {
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

  /** Times consistent with the status: live sessions are current, expired/abandoned ones are past their deadline. */
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
    const r = this.rng;
    const createdAt = Math.min(p.createdAt, ...sessions.map((s) => s.created_at - r.int(MIN, 2 * DAY)));
    const google = p.strategy === 'oauth_google';
    const emailId = this.id(ID_PREFIX.identification, createdAt);
    const googleIdn = google ? this.id(ID_PREFIX.identification, createdAt) : null;
    const verification = (strategy: string, object: string) => ({
      object,
      status: 'verified',
      strategy,
      attempts: strategy.startsWith('from_oauth') ? null : 1,
      expire_at: strategy.startsWith('from_oauth') ? null : createdAt + 10 * MIN,
    });
    const emails: EmailAddressJson[] = [
      {
        object: 'email_address',
        id: emailId,
        email_address: p.email,
        reserved: false,
        verification: google
          ? verification('from_oauth_google', 'verification_from_oauth')
          : verification('email_code', 'verification_otp'),
        linked_to: googleIdn ? [{ type: 'oauth_google', id: googleIdn }] : [],
        matches_sso_connection: false,
        created_at: createdAt,
        updated_at: createdAt,
      },
    ];
    if (r.chance(0.12)) {
      const at = createdAt + r.int(DAY, 90 * DAY);
      emails.push({
        object: 'email_address',
        id: this.id(ID_PREFIX.identification, at),
        email_address: this.uniqueEmail(p.first, `${p.last}.work`),
        reserved: false,
        verification: r.chance(0.8)
          ? verification('email_code', 'verification_otp')
          : { ...verification('email_code', 'verification_otp'), status: 'unverified' },
        linked_to: [],
        matches_sso_connection: false,
        created_at: at,
        updated_at: at,
      });
    }
    const twoFactor = !google && r.chance(0.25);
    const totp = twoFactor && r.chance(0.6);
    const phones: PhoneNumberJson[] = p.phone
      ? [
          {
            object: 'phone_number',
            id: this.id(ID_PREFIX.identification, createdAt),
            phone_number: p.phone,
            reserved_for_second_factor: twoFactor && !totp,
            default_second_factor: twoFactor && !totp,
            reserved: false,
            verification: verification('phone_code', 'verification_otp'),
            linked_to: [],
            backup_codes: null,
            created_at: createdAt,
            updated_at: createdAt,
          },
        ]
      : [];
    const lastSignIn = sessions.length ? Math.max(...sessions.map((s) => s.created_at)) : null;
    const lastActive = sessions.length ? Math.max(...sessions.map((s) => s.last_active_at)) : null;
    const updatedAt = Math.max(createdAt, lastSignIn ?? createdAt);
    const initials = `${p.first.charAt(0)}${p.last.charAt(0)}`.toUpperCase();
    const imageUrl = `https://img.clerk.com/${Buffer.from(JSON.stringify({ type: 'default', iid: this.instanceId, rid: p.id, initials })).toString('base64url')}`;
    const passwordEnabled =
      p.strategy === 'password' || (!google && r.chance(0.4)) || (google && r.chance(0.2));
    const user: UserJson = {
      object: 'user',
      id: p.id,
      external_id: r.chance(0.15) ? `crm_${r.int(100000, 999999)}` : null,
      primary_email_address_id: emailId,
      primary_phone_number_id: phones[0]?.id ?? null,
      primary_web3_wallet_id: null,
      username: p.username,
      first_name: p.first,
      last_name: p.last,
      profile_image_url: imageUrl,
      image_url: imageUrl,
      has_image: false,
      public_metadata: p.publicMetadata,
      private_metadata: {
        stripe_customer_id: `cus_${Buffer.from(r.bytes(9)).toString('base64url').replace(/[-_]/g, 'x')}`,
        ...(r.chance(0.1)
          ? {
              support_notes: r.pick([
                'VIP customer',
                'Chargeback in 2024',
                'Beta tester',
                'Enterprise trial',
              ]),
            }
          : {}),
      },
      unsafe_metadata: { theme: r.pick(['light', 'dark', 'system']), onboarding_complete: r.chance(0.85) },
      email_addresses: emails,
      phone_numbers: phones,
      web3_wallets: [],
      passkeys: [],
      external_accounts: googleIdn
        ? [
            {
              object: 'google_account',
              id: googleIdn,
              provider: 'oauth_google',
              identification_id: googleIdn,
              external_account_id: this.id(ID_PREFIX.externalAccount, createdAt),
              provider_user_id: String(r.int(100000000, 999999999)) + String(r.int(100000000, 999999999)),
              approved_scopes:
                'email https://www.googleapis.com/auth/userinfo.email https://www.googleapis.com/auth/userinfo.profile openid profile',
              email_address: p.email,
              first_name: p.first,
              last_name: p.last,
              image_url: '',
              username: null,
              phone_number: null,
              public_metadata: {},
              label: null,
              verification: {
                object: 'verification_oauth',
                status: 'verified',
                strategy: 'oauth_google',
                attempts: null,
                expire_at: createdAt + 10 * MIN,
              },
              created_at: createdAt,
              updated_at: createdAt,
            },
          ]
        : [],
      saml_accounts: [],
      enterprise_accounts: [],
      password_enabled: passwordEnabled,
      password_last_updated_at: passwordEnabled ? createdAt : null,
      two_factor_enabled: twoFactor,
      totp_enabled: totp,
      backup_code_enabled: totp,
      banned: !!p.banned,
      locked: !!p.locked,
      lockout_expires_in_seconds: p.locked ? r.int(300, 3600) : null,
      verification_attempts_remaining: p.locked ? 0 : 100,
      delete_self_enabled: true,
      create_organization_enabled: true,
      create_organizations_limit: null,
      bypass_client_trust: false,
      last_sign_in_at: lastSignIn,
      last_active_at: lastActive,
      mfa_enabled_at: twoFactor ? createdAt + r.int(HOUR, 30 * DAY) : null,
      mfa_disabled_at: null,
      legal_accepted_at: r.chance(0.5) ? createdAt : null,
      locale: r.chance(0.4) ? p.region.lang : null,
      created_at: createdAt,
      updated_at: updatedAt,
    };
    this.users.push(user);
    return user;
  }
}

const asciiSlug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

function statusList(counts: Partial<Record<SessionStatus, number>>): SessionSpec[] {
  return Object.entries(counts).flatMap(([status, n]) =>
    Array.from({ length: n ?? 0 }, () => ({ status: status as SessionStatus })),
  );
}

function plantUser(b: SeedBuilder, u: PlantedUser): void {
  const region = REGIONS.find((r) => r.country === u.country) ?? (REGIONS[0] as Region);
  const firstSession = u.sessions[0];
  const person = b.planPerson({
    first: u.first,
    last: u.last,
    email: b.reserveEmail(u.email),
    region,
    home: firstSession?.place ?? b.place(region),
    banned: false,
    locked: false,
    orgId: null,
    createdAt: b.now - Math.max(...u.sessions.map((s) => s.createdAgo)) - 30 * DAY,
  });
  const devices = new Map<string, Device>();
  const specs = u.sessions.map((p): SessionSpec => {
    const [type, browser] = p.device.split('/') as [string, string];
    const kind = DEVICE_KINDS.find(([k]) => k.device_type === type)?.[0];
    if (!kind) throw new Error(`seed-risk: no device type ${type}`);
    // A live session needs a client the user is not already live on (Clerk's one session per user per client).
    const live = p.status === 'active';
    let device = devices.get(p.device);
    if (!device || (live && device.liveUsers.has(person.id))) {
      device = b.newDevice(person, b.now - p.createdAgo, kind, browser);
      devices.set(p.device, device);
    }
    if (live) device.liveUsers.add(person.id);
    return {
      status: p.status,
      device,
      actor: p.actor === 'staff' ? { sub: b.staffIds[0] as string, iss: IMPERSONATION_ISSUER } : null,
      plant: {
        createdAgo: p.createdAgo,
        lastActiveAgo: p.lastActiveAgo,
        place: p.place,
        lifetime: p.lifetime,
      },
    };
  });
  b.finishUser(person, b.addSessions(person, specs, { impersonation: 0, allowShared: false }));
}

/** Builds the whole data set in memory (pure: no I/O). */
export function buildSeed(seed: string, now: number): SeedData {
  const b = new SeedBuilder(seed, now);
  const us = REGIONS[0] as Region;

  // ---- fixtures first, so their emails and phones are reserved
  const ada = b.planPerson({
    first: 'Ada',
    last: 'Lovelace',
    email: b.reserveEmail(SEED_FIXTURES.ada),
    phone: '+15550100001',
    username: 'ada',
    region: us,
    home: { city: 'London', country: 'GB' },
    strategy: 'password',
    banned: false,
    locked: false,
    publicMetadata: { plan: 'pro', role: 'admin' },
    orgId: b.orgIds[0] ?? null,
    createdAt: now - 412 * DAY,
  });
  const [mac, iphone] = [DEVICE_KINDS[0]?.[0] as DeviceKind, DEVICE_KINDS[3]?.[0] as DeviceKind];
  const adaLaptop = b.newDevice(ada, now - 6 * DAY, mac);
  const adaPhone = b.newDevice(ada, now - 6 * DAY, iphone);
  const adaOld = b.newDevice(ada, now - 40 * DAY);
  // Two active sessions of Ada on one client (multi-session), a third on her phone, and one of each ended kind.
  b.finishUser(
    ada,
    b.addSessions(
      ada,
      [
        { status: 'active', device: adaLaptop, actor: null },
        { status: 'active', device: adaLaptop, actor: null },
        { status: 'active', device: adaPhone, actor: null },
        { status: 'revoked', device: adaOld, actor: null },
        { status: 'ended', device: adaLaptop, actor: null },
        { status: 'expired', device: adaOld, actor: null },
      ],
      { impersonation: 0, allowShared: false },
    ),
  );

  const five = b.planPerson({
    first: 'Five',
    last: 'Sessions',
    email: b.reserveEmail(SEED_FIXTURES.fiveSessions),
    phone: '+15550100002',
    username: null,
    region: us,
    banned: false,
    locked: false,
    publicMetadata: { plan: 'free' },
    orgId: null,
  });
  b.finishUser(
    five,
    b.addSessions(
      five,
      statusList({ active: SEED_COUNTS.fiveSessions }).map((s) => ({ ...s, actor: null })),
      { impersonation: 0, allowShared: false },
    ),
  );

  const heavy = b.planPerson({
    first: 'Heavy',
    last: 'User',
    email: b.reserveEmail(SEED_FIXTURES.heavy),
    phone: '+15550100003',
    username: 'heavy_user',
    region: us,
    strategy: 'password',
    banned: false,
    locked: false,
    publicMetadata: { plan: 'enterprise', role: 'service' },
    createdAt: now - 700 * DAY,
  });
  b.finishUser(
    heavy,
    b.addSessions(heavy, statusList(HEAVY_STATUS_COUNTS), { impersonation: 0.01, allowShared: false }),
  );

  const hostile = (p: Partial<PersonPlan>, specs: SessionSpec[]) => {
    const plan = b.planPerson({
      region: us,
      banned: false,
      locked: false,
      publicMetadata: { plan: 'free' },
      orgId: null,
      username: null,
      ...p,
    });
    b.finishUser(plan, b.addSessions(plan, specs, { impersonation: 0, allowShared: false }));
  };
  const htmlActivity = { browser_name: HOSTILE_VALUES.htmlBrowserName, city: HOSTILE_VALUES.htmlCity };
  hostile(
    {
      first: HOSTILE_VALUES.htmlFirstName,
      last: HOSTILE_VALUES.htmlLastName,
      email: b.reserveEmail(SEED_FIXTURES.hostileHtml),
      phone: '+15550100004',
    },
    [
      { status: 'active', activity: htmlActivity, actor: null },
      { status: 'active', activity: htmlActivity, actor: null },
      { status: 'ended', activity: htmlActivity, actor: null },
    ],
  );
  const rtlActivity = { device_type: HOSTILE_VALUES.rtlDeviceType };
  hostile(
    {
      first: HOSTILE_VALUES.rtlFirstName,
      last: 'Override',
      email: b.reserveEmail(SEED_FIXTURES.hostileRtl),
      phone: null,
    },
    [
      { status: 'active', activity: rtlActivity, actor: null },
      { status: 'active', activity: rtlActivity, actor: null },
    ],
  );
  const longName = 'Wolfeschlegelsteinhausenbergerdorff'
    .repeat(Math.ceil(HOSTILE_VALUES.longFirstNameLength / 35))
    .slice(0, HOSTILE_VALUES.longFirstNameLength);
  hostile(
    { first: longName, last: 'Longname', email: b.reserveEmail(SEED_FIXTURES.hostileLong), phone: null },
    [
      { status: 'active', actor: null },
      { status: 'active', actor: null },
      { status: 'revoked', actor: null },
    ],
  );

  // ---- planted risk cases (see seed-risk.ts)
  for (const planted of PLANTED_USERS) plantUser(b, planted);

  // ---- ordinary users
  for (let i = 0; i < SEED_COUNTS.ordinaryUsers; i++) {
    const person = b.planPerson();
    const count = b.rng.weighted([
      [b.rng.int(1, 3), 35],
      [b.rng.int(4, 9), 35],
      [b.rng.int(10, 20), 22],
      [b.rng.int(21, 45), 8],
    ] as const);
    const specs = Array.from({ length: count }, () => ({ status: b.rng.weighted(ORDINARY_STATUS_WEIGHTS) }));
    b.finishUser(person, b.addSessions(person, specs, { impersonation: 0.015, allowShared: true }));
  }

  const template = (
    name: string,
    daysAgo: number,
    rest: Pick<JwtTemplateJson, 'lifetime' | 'allowed_clock_skew' | 'claims'>,
  ) => {
    const at = now - daysAgo * DAY;
    return {
      template: {
        object: 'jwt_template' as const,
        id: b.id(ID_PREFIX.jwtTemplate, at),
        name,
        custom_signing_key: false,
        signing_algorithm: 'RS256',
        ...rest,
        created_at: at,
        updated_at: at + 3 * HOUR,
      },
      signingKey: null,
    };
  };
  const templates = [
    template(SEED_JWT_TEMPLATES.supportDebug, 200, {
      lifetime: 60,
      allowed_clock_skew: 5,
      claims: {
        email: '{{user.primary_email_address}}',
        name: '{{user.full_name}}',
        plan: '{{user.public_metadata.plan}}',
      },
    }),
    template(SEED_JWT_TEMPLATES.hasura, 180, {
      lifetime: 3600,
      allowed_clock_skew: 5,
      claims: {
        'https://hasura.io/jwt/claims': {
          'x-hasura-user-id': '{{user.id}}',
          'x-hasura-default-role': "{{user.public_metadata.role || 'user'}}",
          'x-hasura-allowed-roles': ['user', 'admin'],
        },
      },
    }),
    template(SEED_JWT_TEMPLATES.analytics, 120, {
      lifetime: 300,
      allowed_clock_skew: 10,
      claims: {
        display: '{{user.first_name}} {{user.last_name}}',
        verified: '{{user.email_verified}}',
        created: '{{user.created_at}}',
        source: 'session-console',
      },
    }),
    template(SEED_JWT_TEMPLATES.longLived, 60, {
      lifetime: 86400,
      allowed_clock_skew: 0,
      claims: {
        aud: 'internal-tools',
        actor: '{{session.actor}}',
        org: '{{session.last_active_organization_id}}',
      },
    }),
  ];

  return {
    instanceId: b.instanceId,
    users: b.users,
    clients: b.devices.map((d) => d.client),
    sessions: b.sessions,
    templates,
  };
}

export interface SeedSummary {
  users: number;
  clients: number;
  sessions: number;
  templates: number;
  ms: number;
}

/** Seeds an empty store in one transaction; does nothing (returns null) if it is already seeded. */
export function seedStore(
  store: LocalClerkStore,
  seed: string,
  now: number = Date.now(),
): SeedSummary | null {
  if (store.isSeeded()) return null;
  const started = performance.now();
  const data = buildSeed(seed, now);
  const done = store.transaction(() => {
    if (store.isSeeded()) return false;
    for (const u of data.users) store.insertUser(u);
    for (const c of data.clients) store.insertClient(c);
    for (const s of data.sessions) store.insertSession(s);
    for (const t of data.templates) store.insertTemplate(t.template, t.signingKey);
    store.setMeta('instance_id', data.instanceId);
    store.setMeta('seed', seed);
    store.setMeta('seeded_at', String(now));
    return true;
  });
  if (!done) return null;
  return {
    users: data.users.length,
    clients: data.clients.length,
    sessions: data.sessions.length,
    templates: data.templates.length,
    ms: Math.round(performance.now() - started),
  };
}
