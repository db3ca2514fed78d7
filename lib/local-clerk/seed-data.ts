import {
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
import type { ClientRow } from './serialize';
import type { SessionActivityJson, SessionJson, SessionStatus } from './types';

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;
export const SESSION_LIFETIME = 7 * DAY;
export const ABANDON_AFTER = 30 * DAY;
// A fixed KSUID base plus the offset from the seeding moment: ids repeat across seedings and stay time-ordered.
export const ID_TIME_BASE = Date.UTC(2025, 5, 1);
export const IMPERSONATION_ISSUER = 'https://dashboard.clerk.com';

export interface Region {
  locale: LocaleDefinition;
  country: string;
  lang: string;
  weight: number;
}

export const REGIONS: Region[] = [
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

export interface DeviceKind {
  device_type: string;
  is_mobile: boolean;
  browsers: readonly (readonly [name: string, versions: readonly string[], weight: number])[];
}

export const CHROME_DESKTOP = ['131.0.0.0', '132.0.0.0', '133.0.0.0', '134.0.0.0'];
export const DEVICE_KINDS: readonly (readonly [DeviceKind, number])[] = [
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

export const ORDINARY_STATUS_WEIGHTS: readonly (readonly [SessionStatus, number])[] = [
  ['active', 50],
  ['ended', 14],
  ['expired', 10],
  ['revoked', 6],
  ['removed', 6],
  ['abandoned', 6],
  ['replaced', 5],
  ['pending', 3],
];

export const HEAVY_STATUS_COUNTS: Record<SessionStatus, number> = {
  active: 1500,
  ended: 1000,
  expired: 900,
  revoked: 400,
  removed: 300,
  abandoned: 400,
  replaced: 400,
  pending: 100,
};

export const AUTH_STRATEGIES = [
  ['email_code', 40],
  ['password', 35],
  ['oauth_google', 20],
  ['passkey', 5],
] as const;
export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net'] as const;
export const LIVE: ReadonlySet<SessionStatus> = new Set(['active', 'pending']);

export interface KitItem {
  kind: DeviceKind;
  browser: readonly [name: string, versions: readonly string[], weight: number];
}

export interface Device {
  client: ClientRow;
  kind: DeviceKind;
  browser_name: string;
  browser_version: string;
  ip: string;
  liveUsers: Set<string>;
}

export interface Place {
  city: string;
  country: string;
}

export interface PersonPlan {
  id: string;
  first: string;
  last: string;
  email: string;
  phone: string | null;
  username: string | null;
  region: Region;
  home: Place;
  kit: KitItem[];
  strategy: string;
  createdAt: number;
  banned?: boolean;
  locked?: boolean;
  publicMetadata: Record<string, unknown>;
  orgId: string | null;
}

export interface SessionSpec {
  status: SessionStatus;
  device?: Device;
  activity?: Partial<Pick<SessionActivityJson, 'device_type' | 'browser_name' | 'city' | 'country'>>;
  actor?: SessionJson['actor'];
  plant?: { createdAgo: number; lastActiveAgo: number; place: Place; lifetime?: number };
}

export const TRIP_ISOLATION = DAY;

export const asciiSlug = (s: string): string =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
