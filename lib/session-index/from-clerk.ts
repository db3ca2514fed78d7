import 'server-only';
import { z } from 'zod';
import type { SessionIndexInput, UserSnapshot } from '@/lib/session-index/types';

const text = z.string().max(2000).nullish();
const ms = z.number().int().nonnegative().nullish();

const activity = z
  .looseObject({
    is_mobile: z.boolean().nullish(),
    device_type: text,
    browser_name: text,
    browser_version: text,
    ip_address: text,
    city: text,
    country: text,
  })
  .nullish();

export const clerkUserJson = z.looseObject({
  id: z.string().min(1).max(100),
  first_name: text,
  last_name: text,
  username: text,
  primary_email_address_id: text,
  email_addresses: z
    .array(z.looseObject({ id: z.string().nullish(), email_address: z.string().max(320).nullish() }))
    .max(100)
    .nullish(),
  updated_at: ms,
  deleted: z.boolean().optional(),
});
export type ClerkUserJson = z.infer<typeof clerkUserJson>;

export const clerkSessionJson = z.looseObject({
  id: z.string().min(1).max(100),
  user_id: z.string().min(1).max(100),
  client_id: text,
  status: z.string().min(1).max(40),
  created_at: z.number().int().nonnegative(),
  updated_at: z.number().int().nonnegative(),
  last_active_at: ms,
  expire_at: ms,
  actor: z.record(z.string(), z.unknown()).nullish(),
  latest_activity: activity,
  user: clerkUserJson.nullish(),
});
export type ClerkSessionJson = z.infer<typeof clerkSessionJson>;

export function userSnapshotFromJson(u: ClerkUserJson, at: number): UserSnapshot {
  const name = [u.first_name, u.last_name].filter(Boolean).join(' ') || u.username || null;
  const emails = u.email_addresses ?? [];
  const email = (emails.find((e) => e.id === u.primary_email_address_id) ?? emails[0])?.email_address ?? null;
  return {
    userId: u.id,
    userName: name,
    userEmail: email,
    deleted: u.deleted === true,
    updatedAt: u.updated_at ?? at,
  };
}

export function sessionFromJson(s: ClerkSessionJson, user: UserSnapshot | null): SessionIndexInput {
  const a = s.latest_activity;
  return {
    sessionId: s.id,
    userId: s.user_id,
    clientId: s.client_id ?? null,
    status: s.status,
    createdAt: s.created_at,
    updatedAt: s.updated_at,
    lastActiveAt: s.last_active_at ?? null,
    expireAt: s.expire_at ?? null,
    ip: a?.ip_address ?? null,
    city: a?.city ?? null,
    country: a?.country ?? null,
    deviceType: a?.device_type ?? null,
    browserName: a?.browser_name ?? null,
    browserVersion: a?.browser_version ?? null,
    isMobile: a ? (a.is_mobile ?? null) : null,
    actor: s.actor ? JSON.stringify(s.actor) : null,
    userName: user?.userName ?? null,
    userEmail: user?.userEmail ?? null,
  };
}
