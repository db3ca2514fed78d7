import { clerkError } from '../errors';
import { ID_PREFIX, isId } from '../ids';
import { simulateSignIn } from '../live-traffic';
import { FaultRuleError, type FaultInjector } from '../faults';
import { jsonBody, type Call } from './request';

export async function putFaults(c: Call): Promise<unknown> {
  const faults = c.ctx.faults as FaultInjector;
  const body = await jsonBody(c.req, ['rules']);
  try {
    faults.setRules(body, faultScope(c.query));
  } catch (e) {
    if (e instanceof FaultRuleError)
      throw clerkError.formParamValueInvalid(e.param, `${e.param} is invalid: ${e.message}`);
    throw e;
  }
  return { rules: faults.describe() };
}

export const getFaults = (c: Call): unknown => ({ rules: (c.ctx.faults as FaultInjector).describe() });

function faultScope(query: URLSearchParams): string | undefined {
  const scope = query.get('scope');
  return scope && /^[\w-]{1,64}$/.test(scope) ? scope : undefined;
}

export function deleteFaults(c: Call): unknown {
  (c.ctx.faults as FaultInjector).clear(faultScope(c.query));
  return { rules: [] };
}

export const getRequests = (c: Call): unknown => (c.ctx.faults as FaultInjector).requests();

export function deleteRequests(c: Call): unknown {
  (c.ctx.faults as FaultInjector).clearRequests();
  return { count: 0, requests: [] };
}

const PLACE_FIELDS = [
  'city',
  'country',
  'ip_address',
  'device_type',
  'browser_name',
  'browser_version',
] as const;

/** Tests drive a browser-like sign-in (place, device) the way live traffic makes one, webhook included. */
export async function postSignIn(c: Call): Promise<unknown> {
  const body = await jsonBody(c.req, ['user_id', 'is_mobile', ...PLACE_FIELDS]);
  const userId = body.user_id;
  if (typeof userId !== 'string' || !isId(ID_PREFIX.user, userId) || !c.ctx.store.getUser(userId))
    throw clerkError.resourceNotFound();
  const text = (k: (typeof PLACE_FIELDS)[number]) => {
    const v = body[k];
    if (v === undefined || v === null) return null;
    if (typeof v !== 'string' || v.length > 100) throw clerkError.formParamWrongType(k, typeof v, 'string');
    return v;
  };
  return simulateSignIn(c.ctx.store, {
    user_id: userId,
    is_mobile: body.is_mobile === true ? 1 : 0,
    city: text('city'),
    country: text('country'),
    ip_address: text('ip_address'),
    device_type: text('device_type'),
    browser_name: text('browser_name'),
    browser_version: text('browser_version'),
  });
}
