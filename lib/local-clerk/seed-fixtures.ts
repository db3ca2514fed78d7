import type { SeedApiKey, SeedTrustedDevice } from './seed-account';
import type { ClientRow } from './serialize';
import type { JwtTemplateJson, SessionJson, UserJson } from './types';

export const DEFAULT_SEED = 'session-console';

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
  apiKeys: SeedApiKey[];
  trustedDevices: SeedTrustedDevice[];
}
