import type { SessionDto, UserDto } from '@/lib/clerk/dto';

type Activity = SessionDto['latestActivity'];

/** "Chrome 126", "Chrome", or null. */
export function browserLabel(a: Activity): string | null {
  if (!a?.browserName) return null;
  return a.browserVersion ? `${a.browserName} ${a.browserVersion}` : a.browserName;
}

/** "Macintosh · Chrome 126", falling back to whichever part is known, else "Unknown device". */
export function deviceLabel(a: Activity): string {
  const parts = [a?.deviceType || null, browserLabel(a)].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(' · ') : 'Unknown device';
}

/**
 * "London, GB", "GB", or null when Clerk has no location; with `countryNames` (by ISO code) the country is named:
 * "London, United Kingdom".
 */
export function locationLabel(a: Activity, countryNames?: Readonly<Record<string, string>>): string | null {
  const country = a?.country ? (countryNames?.[a.country] ?? a.country) : null;
  const parts = [a?.city || null, country].filter((p): p is string => Boolean(p));
  return parts.length ? parts.join(', ') : null;
}

/** How a person is named in the console: display name, else primary email, else the id. */
export function userLabel(
  u: Pick<UserDto, 'id' | 'displayName' | 'firstName' | 'lastName' | 'primaryEmail'>,
): string {
  const name = u.displayName?.trim() || [u.firstName, u.lastName].filter(Boolean).join(' ').trim();
  return name || u.primaryEmail || u.id;
}

/** An impersonation marker: who acted as the user, when the session has an actor. */
export function actorLabel(actor: SessionDto['actor']): string | null {
  if (!actor) return null;
  return actor.sub ? `Impersonated by ${actor.sub}` : 'Impersonated';
}
