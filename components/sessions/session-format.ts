import type { SessionDto, UserDto } from '@/lib/clerk/dto';

type Activity = SessionDto['latestActivity'];

export function browserLabel(a: Activity): string | null {
  if (!a?.browserName) return null;
  return a.browserVersion ? `${a.browserName} ${a.browserVersion}` : a.browserName;
}

export function deviceLabel(a: Activity): string {
  const parts = [a?.deviceType || null, browserLabel(a)].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' · ') : 'Unknown device';
}

export function locationLabel(a: Activity, countryNames?: Readonly<Record<string, string>>): string | null {
  const country = a?.country ? (countryNames?.[a.country] ?? a.country) : null;
  const parts = [a?.city || null, country].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(', ') : null;
}

export function userLabel(
  u: Pick<UserDto, 'id' | 'displayName' | 'firstName' | 'lastName' | 'primaryEmail'>,
): string {
  const name = u.displayName?.trim() || [u.firstName, u.lastName].filter(Boolean).join(' ').trim();
  return name || u.primaryEmail || u.id;
}

export function actorLabel(actor: SessionDto['actor']): string | null {
  if (!actor) return null;
  return actor.sub ? `Impersonated by ${actor.sub}` : 'Impersonated';
}
