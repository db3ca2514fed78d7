import 'server-only';
import { headers } from 'next/headers';
import { CLIENT_IP_HEADER } from '@/lib/client-address';

export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

// The address proxy.ts worked out from the socket; X-Forwarded-For itself is never read here.
export function requestContextFrom(h: Headers): RequestContext {
  const ip = h.get(CLIENT_IP_HEADER);
  const ua = h.get('user-agent');
  return { ip: ip ? ip.slice(0, 64) : null, userAgent: ua ? ua.slice(0, 300) : null };
}

export async function getRequestContext(): Promise<RequestContext> {
  return requestContextFrom(await headers());
}
