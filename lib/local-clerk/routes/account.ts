import { clerkError } from '../errors';
import { ID_PREFIX, isId } from '../ids';
import type { AccountChange } from '../store';
import { jsonBody, jsonType, pathId, throwError, type Call, type Route } from './request';

const MAX_BULK_USERS = 50;
const TRUSTED_DEVICE_ID = /^td_[A-Za-z0-9]{1,64}$/;

function changed(result: AccountChange): unknown {
  if (result.ok) return result.user;
  throw result.reason === 'not_found' ? clerkError.userNotFound(result.userId) : clerkError.noPasswordSet();
}

async function setBanned(c: Call, banned: boolean): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  await jsonBody(c.req, []);
  const now = Date.now();
  const result = banned ? c.ctx.store.account.banUsers([id], now) : c.ctx.store.account.unbanUsers([id], now);
  if (!result.ok) throw clerkError.userNotFound(id);
  return result.users[0];
}

async function bulkUserIds(c: Call): Promise<string[]> {
  const body = await jsonBody(c.req, ['user_ids']);
  const ids = body.user_ids;
  if (ids === undefined || ids === null) throw clerkError.formParamMissing('user_ids');
  if (!Array.isArray(ids)) throw clerkError.formParamWrongType('user_ids', jsonType(ids), 'array');
  if (ids.length < 1 || ids.length > MAX_BULK_USERS)
    throw clerkError.formParamValueInvalid(
      'user_ids',
      `user_ids must contain between 1 and ${MAX_BULK_USERS} items.`,
    );
  for (const id of ids as unknown[]) {
    if (typeof id !== 'string') throw clerkError.formParamWrongType('user_ids', jsonType(id), 'string');
    if (!isId(ID_PREFIX.user, id)) throw clerkError.resourceNotFound();
  }
  return ids as string[];
}

async function bulkSetBanned(c: Call, banned: boolean): Promise<unknown> {
  const ids = await bulkUserIds(c);
  const now = Date.now();
  const result = banned ? c.ctx.store.account.banUsers(ids, now) : c.ctx.store.account.unbanUsers(ids, now);
  if (!result.ok) throw clerkError.userNotFound(result.missing);
  return result.users;
}

async function lock(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  await jsonBody(c.req, []);
  return changed(c.ctx.store.account.lockUser(id, Date.now()));
}

async function unlock(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  await jsonBody(c.req, []);
  return changed(c.ctx.store.account.unlockUser(id, Date.now()));
}

async function setCompromised(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  const body = await jsonBody(c.req, ['revoke_all_sessions']);
  const revoke = body.revoke_all_sessions;
  if (revoke !== undefined && revoke !== null && typeof revoke !== 'boolean')
    throw clerkError.formParamWrongType('revoke_all_sessions', jsonType(revoke), 'boolean');
  return changed(c.ctx.store.account.setPasswordCompromised(id, Date.now(), revoke === true));
}

async function unsetCompromised(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  await jsonBody(c.req, []);
  return changed(c.ctx.store.account.unsetPasswordCompromised(id, Date.now()));
}

async function disableMfa(c: Call): Promise<unknown> {
  const id = pathId(c, ID_PREFIX.user);
  await jsonBody(c.req, []);
  const result = c.ctx.store.account.disableMfa(id, Date.now());
  if (!result.ok) throw clerkError.userNotFound(id);
  return { user_id: id };
}

function listTrustedDevices(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.user);
  if (!c.ctx.store.getUser(id)) throw clerkError.userNotFound(id);
  const data = c.ctx.store.account.listTrustedDevices(id);
  return { data, total_count: data.length };
}

function revokeTrustedDevice(c: Call): unknown {
  const userId = pathId(c, ID_PREFIX.user);
  const deviceId = c.params[1] ?? '';
  if (!TRUSTED_DEVICE_ID.test(deviceId)) throw clerkError.resourceNotFound();
  if (!c.ctx.store.getUser(userId)) throw clerkError.userNotFound(userId);
  return (
    c.ctx.store.account.revokeTrustedDevice(userId, deviceId, Date.now()) ??
    throwError(clerkError.trustedDeviceNotFound(deviceId))
  );
}

export const ACCOUNT_ROUTES: Route[] = [
  { method: 'POST', pattern: /^\/v1\/users\/ban$/, handler: (c) => bulkSetBanned(c, true) },
  { method: 'POST', pattern: /^\/v1\/users\/unban$/, handler: (c) => bulkSetBanned(c, false) },
  { method: 'POST', pattern: /^\/v1\/users\/([^/]+)\/ban$/, handler: (c) => setBanned(c, true) },
  { method: 'POST', pattern: /^\/v1\/users\/([^/]+)\/unban$/, handler: (c) => setBanned(c, false) },
  { method: 'POST', pattern: /^\/v1\/users\/([^/]+)\/lock$/, handler: lock },
  { method: 'POST', pattern: /^\/v1\/users\/([^/]+)\/unlock$/, handler: unlock },
  { method: 'POST', pattern: /^\/v1\/users\/([^/]+)\/password\/set_compromised$/, handler: setCompromised },
  {
    method: 'POST',
    pattern: /^\/v1\/users\/([^/]+)\/password\/unset_compromised$/,
    handler: unsetCompromised,
  },
  { method: 'DELETE', pattern: /^\/v1\/users\/([^/]+)\/mfa$/, handler: disableMfa },
  { method: 'GET', pattern: /^\/v1\/users\/([^/]+)\/trusted_devices$/, handler: listTrustedDevices },
  {
    method: 'DELETE',
    pattern: /^\/v1\/users\/([^/]+)\/trusted_devices\/([^/]+)$/,
    handler: revokeTrustedDevice,
  },
];
