import 'server-only';
import { z } from 'zod';
import { ConfigError, isLoopback, parse, parseUrl, printable, raw, type EnvSource } from './parse';

export interface RoleRule {
  /** An exact email address, or '@domain' for everyone at that domain (lower-cased). */
  match: string;
  role: 'viewer' | 'support' | 'admin';
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  roles: RoleRule[];
  name: string;
}

function parseRoles(value: string): RoleRule[] {
  const entries = value.split(',').map((e) => e.trim());
  const rules: RoleRule[] = [];
  const seen = new Map<string, RoleRule['role']>();
  const matchSchema = z.union([
    z.string().regex(/^[^\s@,=]+@[^\s@,=]+\.[^\s@,=]+$/),
    z.string().regex(/^@[^\s@,=]+\.[^\s@,=]+$/),
  ]);
  const roleSchema = z.enum(['viewer', 'support', 'admin']);
  entries.forEach((entry, index) => {
    const position = index + 1;
    const invalid = `AUTH_OIDC_ROLES entry ${position} is invalid: use email=role or @domain=role, with a role of viewer, support or admin.`;
    const eq = entry.lastIndexOf('=');
    if (eq <= 0) throw new ConfigError(invalid);
    const match = parse(matchSchema, entry.slice(0, eq).trim().toLowerCase(), invalid);
    const role = parse(
      roleSchema,
      entry
        .slice(eq + 1)
        .trim()
        .toLowerCase(),
      invalid,
    );
    const prior = seen.get(match);
    if (prior !== undefined && prior !== role) {
      throw new ConfigError(
        `AUTH_OIDC_ROLES entry ${position} gives a second, different role to the same email or domain.`,
      );
    }
    if (prior === undefined) rules.push({ match, role });
    seen.set(match, role);
  });
  if (rules.length === 0)
    throw new ConfigError('AUTH_OIDC_ROLES must list at least one email=role or @domain=role rule.');
  return rules;
}

const OIDC_REQUIRED = [
  'AUTH_OIDC_ISSUER',
  'AUTH_OIDC_CLIENT_ID',
  'AUTH_OIDC_CLIENT_SECRET',
  'AUTH_OIDC_ROLES',
] as const;

export function parseOidc(source: EnvSource, allowLoopbackHttp: boolean): OidcConfig | null {
  const present = [...OIDC_REQUIRED, 'AUTH_OIDC_NAME'].filter((name) => raw(source, name) !== undefined);
  if (present.length === 0) return null;
  const missing = OIDC_REQUIRED.find((name) => raw(source, name) === undefined);
  if (missing) {
    throw new ConfigError(
      `${missing} is missing: single sign-on needs AUTH_OIDC_ISSUER, AUTH_OIDC_CLIENT_ID, AUTH_OIDC_CLIENT_SECRET and AUTH_OIDC_ROLES together.`,
    );
  }
  const issuerUrl = parseUrl(raw(source, 'AUTH_OIDC_ISSUER')!, 'AUTH_OIDC_ISSUER');
  if (issuerUrl.username || issuerUrl.password || issuerUrl.search || issuerUrl.hash) {
    throw new ConfigError(
      'AUTH_OIDC_ISSUER must be a plain issuer URL, without credentials, query or fragment.',
    );
  }
  const httpAllowed = issuerUrl.protocol === 'http:' && isLoopback(issuerUrl) && allowLoopbackHttp;
  if (issuerUrl.protocol !== 'https:' && !httpAllowed)
    throw new ConfigError('AUTH_OIDC_ISSUER must use https.');
  const issuer = issuerUrl.href.replace(/\/$/, '');
  const clientId = parse(
    printable(1, 512),
    raw(source, 'AUTH_OIDC_CLIENT_ID'),
    'AUTH_OIDC_CLIENT_ID must be 1 to 512 printable characters without spaces.',
  );
  const clientSecret = parse(
    printable(8, 1024),
    raw(source, 'AUTH_OIDC_CLIENT_SECRET'),
    'AUTH_OIDC_CLIENT_SECRET must be 8 to 1024 printable characters without spaces.',
  );
  const roles = parseRoles(raw(source, 'AUTH_OIDC_ROLES')!);
  const name = parse(
    z
      .string()
      .trim()
      .min(1)
      .max(60)
      .regex(/^[^\x00-\x1f\x7f<>]+$/),
    raw(source, 'AUTH_OIDC_NAME') ?? 'Single sign-on',
    'AUTH_OIDC_NAME must be a short label (1 to 60 characters, no angle brackets or control characters).',
  );
  return { issuer, clientId, clientSecret, roles, name };
}
