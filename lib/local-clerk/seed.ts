import { ID_PREFIX } from './ids';
import { buildAccountSeed, plantAccountUsers, withLockDeadline } from './seed-account';
import { SeedBuilder } from './seed-builder';
import {
  DAY,
  DEVICE_KINDS,
  HEAVY_STATUS_COUNTS,
  HOUR,
  IMPERSONATION_ISSUER,
  ORDINARY_STATUS_WEIGHTS,
  REGIONS,
  type Device,
  type DeviceKind,
  type PersonPlan,
  type Region,
  type SessionSpec,
} from './seed-data';
import {
  HOSTILE_VALUES,
  SEED_COUNTS,
  SEED_FIXTURES,
  SEED_JWT_TEMPLATES,
  type SeedData,
} from './seed-fixtures';
import { PLANTED_USERS, type PlantedUser } from './seed-risk';
import type { LocalClerkStore } from './store';
import type { JwtTemplateJson, SessionStatus, UserJson } from './types';

export {
  DEFAULT_SEED,
  HOSTILE_VALUES,
  SEED_COUNTS,
  SEED_FIXTURES,
  SEED_JWT_TEMPLATES,
  type SeedData,
} from './seed-fixtures';

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

export function buildSeed(seed: string, now: number): SeedData {
  const b = new SeedBuilder(seed, now);
  const us = REGIONS[0] as Region;

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

  for (const planted of PLANTED_USERS) plantUser(b, planted);

  const ordinaryFrom = b.users.length;
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

  const ordinary = b.users.slice(ordinaryFrom);
  // Last, so that nothing drawn above moves.
  const [, , , secured] = plantAccountUsers(b);
  const account = buildAccountSeed(seed, now, ordinary, secured as UserJson);

  return {
    instanceId: b.instanceId,
    users: b.users,
    clients: b.devices.map((d) => d.client),
    sessions: b.sessions,
    templates,
    ...account,
  };
}

export interface SeedSummary {
  users: number;
  clients: number;
  sessions: number;
  templates: number;
  ms: number;
}

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
    for (const u of data.users) store.insertUser(withLockDeadline(u, now));
    for (const c of data.clients) store.insertClient(c);
    for (const s of data.sessions) store.insertSession(s);
    for (const t of data.templates) store.insertTemplate(t.template, t.signingKey);
    for (const k of data.apiKeys) store.account.insertApiKey(k.key, k.secretSha256);
    for (const d of data.trustedDevices) store.account.insertTrustedDevice(d.userId, d.device);
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
