import 'server-only';
import { headers } from 'next/headers';

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * The caller's address and user agent, for the audit log and sign-in throttling.
 * `x-forwarded-for` is client-controlled except for the hop our own front (Next itself, or the load balancer
 * named by TRUSTED_PROXY_HOPS) appends, so we take the right-most entry that our side wrote, never the first.
 */
export function requestContextFrom(h: Headers): RequestContext {
  const hops = Math.max(1, Number.parseInt(process.env.TRUSTED_PROXY_HOPS ?? '1', 10) || 1);
  const xff = (h.get('x-forwarded-for') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const ip = xff.length ? (xff[Math.max(0, xff.length - hops)] ?? null) : (h.get('x-real-ip') ?? null);
  const ua = h.get('user-agent');
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: ua ? ua.slice(0, 300) : null };
}

export async function getRequestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers());
}
