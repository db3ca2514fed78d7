import { clerkError } from '../errors';
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
