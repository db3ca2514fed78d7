import { clerkError } from '../errors';
import { ID_PREFIX } from '../ids';
import { USER_ORDER_FIELDS, type UserFilter, type UserOrderField } from '../store';
import {
  boolParam,
  clip,
  listParam,
  optionalIntParam,
  paging,
  pathId,
  signed,
  throwError,
  type Call,
} from './request';

function userFilter(q: URLSearchParams): UserFilter {
  const ids = listParam(q, 'user_id')?.map(signed);
  const include = ids?.filter((i) => i.sign === '+').map((i) => i.value);
  const exclude = ids?.filter((i) => i.sign === '-').map((i) => i.value);
  return {
    query: q.get('query') || undefined,
    emailAddresses: listParam(q, 'email_address'),
    // An unencoded `+15550100001` arrives as " 15550100001".
    phoneNumbers: listParam(q, 'phone_number')?.map((p) => (p.startsWith(' ') ? `+${p.slice(1)}` : p)),
    usernames: listParam(q, 'username'),
    externalIds: listParam(q, 'external_id'),
    userIdsIn: include?.length ? include : undefined,
    userIdsOut: exclude?.length ? exclude : undefined,
    banned: boolParam(q, 'banned'),
    emailAddressQuery: q.get('email_address_query') || undefined,
    phoneNumberQuery: q.get('phone_number_query') || undefined,
    usernameQuery: q.get('username_query') || undefined,
    nameQuery: q.get('name_query') || undefined,
    createdAtBefore: optionalIntParam(q, 'created_at_before'),
    createdAtAfter: optionalIntParam(q, 'created_at_after'),
    lastActiveAtBefore: optionalIntParam(q, 'last_active_at_before'),
    lastActiveAtAfter: optionalIntParam(q, 'last_active_at_after'),
    lastSignInAtBefore: optionalIntParam(q, 'last_sign_in_at_before'),
    lastSignInAtAfter: optionalIntParam(q, 'last_sign_in_at_after'),
  };
}

export function listUsers({ ctx, query: q }: Call): unknown {
  const filter = userFilter(q);
  const raw = q.get('order_by') || '-created_at';
  const { sign, value } = signed(raw);
  if (!(USER_ORDER_FIELDS as readonly string[]).includes(value))
    throw clerkError.formParamNotAllowedValue('order_by', clip(raw));
  const { limit, offset } = paging(q);
  // Always a bare array: /v1/users has no `paginated` envelope (the SDK asks /users/count for the total).
  return ctx.store.listUsers(
    filter,
    { field: value as UserOrderField, direction: sign === '-' ? 'desc' : 'asc' },
    limit,
    offset,
  );
}

export function countUsers({ ctx, query }: Call): unknown {
  return { object: 'total_count', total_count: ctx.store.countUsers(userFilter(query)) };
}

export function getUser(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.user);
  return c.ctx.store.getUser(id) ?? throwError(clerkError.userNotFound(id));
}

export function getClient(c: Call): unknown {
  const id = pathId(c, ID_PREFIX.client);
  return c.ctx.store.getClient(id) ?? throwError(clerkError.clientNotFound(id));
}
