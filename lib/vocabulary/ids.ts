// The SDK puts ids into the URL path, so an id is its prefix, `_` and 1–64 of [A-Za-z0-9], nothing else.
const ID_BODY = '[A-Za-z0-9]{1,64}';
const patterns = new Map<string, RegExp>();

export function idPattern(prefix: string): RegExp {
  let p = patterns.get(prefix);
  if (!p) patterns.set(prefix, (p = new RegExp(`^${prefix}_${ID_BODY}$`)));
  return p;
}

export const SESSION_ID = idPattern('sess');
export const USER_ID = idPattern('user');
export const CLIENT_ID = idPattern('client');
export const TEMPLATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;
