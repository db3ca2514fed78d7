import 'server-only';
import type { Client, JwtTemplate, Session, User } from '@clerk/backend';
import { SESSION_STATUSES, type SessionStatus } from '@/lib/vocabulary';

type SessionActivity = NonNullable<Session['latestActivity']>;

// Fields are copied by name, so a new SDK field (private metadata, `raw`) can never leak through.

export { SESSION_STATUSES, type SessionStatus } from '@/lib/vocabulary';

export interface SessionActivityDto {
  deviceType: string | null;
  browserName: string | null;
  browserVersion: string | null;
  isMobile: boolean;
  ipAddress: string | null;
  city: string | null;
  country: string | null;
}

export interface SessionDto {
  id: string;
  userId: string;
  clientId: string;
  status: SessionStatus;
  lastActiveAt: number;
  expireAt: number;
  abandonAt: number;
  createdAt: number;
  updatedAt: number;
  lastActiveOrganizationId: string | null;
  actor: { sub: string | null; iss: string | null } | null;
  latestActivity: SessionActivityDto | null;
}

export interface UserDto {
  id: string;
  firstName: string | null;
  lastName: string | null;
  displayName: string;
  primaryEmail: string | null;
  primaryPhone: string | null;
  imageUrl: string | null;
  createdAt: number;
  lastActiveAt: number | null;
  lastSignInAt: number | null;
  banned: boolean;
  locked: boolean;
}

export interface ClientDto {
  id: string;
  sessionIds: string[];
  lastActiveSessionId: string | null;
  createdAt: number;
  updatedAt: number;
  sessions: SessionDto[];
}

export interface TemplateDto {
  id: string;
  name: string;
  lifetime: number;
  allowedClockSkew: number;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

export function isSessionStatus(v: unknown): v is SessionStatus {
  return typeof v === 'string' && (SESSION_STATUSES as readonly string[]).includes(v);
}

// An unknown status reads as `ended`, so no action is offered on a state we cannot interpret.
function toStatus(v: unknown): SessionStatus {
  return isSessionStatus(v) ? v : 'ended';
}

function toActivity(a: SessionActivity | null | undefined): SessionActivityDto | null {
  if (!a) return null;
  return {
    deviceType: str(a.deviceType),
    browserName: str(a.browserName),
    browserVersion: str(a.browserVersion),
    isMobile: a.isMobile === true,
    ipAddress: str(a.ipAddress),
    city: str(a.city),
    country: str(a.country),
  };
}

export function toSessionDto(s: Session): SessionDto {
  const actor =
    s.actor && typeof s.actor === 'object' ? { sub: str(s.actor.sub), iss: str(s.actor.iss) } : null;
  return {
    id: s.id,
    userId: s.userId,
    clientId: s.clientId,
    status: toStatus(s.status),
    lastActiveAt: num(s.lastActiveAt),
    expireAt: num(s.expireAt),
    abandonAt: num(s.abandonAt),
    createdAt: num(s.createdAt),
    updatedAt: num(s.updatedAt),
    lastActiveOrganizationId: str(s.lastActiveOrganizationId),
    actor,
    latestActivity: toActivity(s.latestActivity),
  };
}

/** Only https images: an http URL would make staff browsers fetch from wherever a profile points. */
function safeImageUrl(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  try {
    const url = new URL(v);
    return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
  } catch {
    return null;
  }
}

function primaryOf<T extends { id: string }>(items: readonly T[] | undefined, id: string | null): T | null {
  if (!id || !items) return null;
  return items.find((i) => i.id === id) ?? null;
}

export function toUserDto(u: User): UserDto {
  const firstName = str(u.firstName);
  const lastName = str(u.lastName);
  const primaryEmail = str(primaryOf(u.emailAddresses, u.primaryEmailAddressId)?.emailAddress);
  const primaryPhone = str(primaryOf(u.phoneNumbers, u.primaryPhoneNumberId)?.phoneNumber);
  const fullName = [firstName, lastName].filter(Boolean).join(' ');
  return {
    id: u.id,
    firstName,
    lastName,
    displayName: fullName || str(u.username) || primaryEmail || primaryPhone || u.id,
    primaryEmail,
    primaryPhone,
    imageUrl: safeImageUrl(u.imageUrl),
    createdAt: num(u.createdAt),
    lastActiveAt: numOrNull(u.lastActiveAt),
    lastSignInAt: numOrNull(u.lastSignInAt),
    banned: u.banned === true,
    locked: u.locked === true,
  };
}

export function toClientDto(c: Client): ClientDto {
  return {
    id: c.id,
    sessionIds: Array.isArray(c.sessionIds)
      ? c.sessionIds.filter((id): id is string => typeof id === 'string')
      : [],
    lastActiveSessionId: str(c.lastActiveSessionId),
    createdAt: num(c.createdAt),
    updatedAt: num(c.updatedAt),
    sessions: Array.isArray(c.sessions) ? c.sessions.map(toSessionDto) : [],
  };
}

export function toTemplateDto(t: JwtTemplate): TemplateDto {
  return { id: t.id, name: t.name, lifetime: num(t.lifetime), allowedClockSkew: num(t.allowedClockSkew) };
}
