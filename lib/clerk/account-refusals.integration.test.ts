import 'server-only';
// A Clerk instance whose plan lacks a feature answers 402 or 403: the account calls say so plainly, name the
// feature, keep the trace id, and never call it a rejected key; a real key failure still reads as one.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { getEnv } from '@/lib/env';
import { startConsoleFixture, type ConsoleFixture } from '@/lib/testing/console-fixture';
import type { LocalClerkFixture } from '@/lib/testing/local-clerk-fixture';
import { ConsoleApiError, CONSOLE_ERROR_MESSAGES as MESSAGES, createConsoleClerkClient } from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { ACCOUNT_FIXTURES } from '@/lib/local-clerk/seed-account';
import type { UserJson } from '@/lib/local-clerk/types';
import {
  banUser,
  disableMfa,
  listApiKeys,
  listTrustedDevices,
  lockUser,
  setPasswordCompromised,
} from './account';

let setup: ConsoleFixture<never>;
let fx: LocalClerkFixture;
let secured: string;

async function rejection(p: Promise<unknown>): Promise<ConsoleApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ConsoleApiError) return e;
    throw e;
  }
  throw new Error('expected a ConsoleApiError');
}

const clerkBody = (code: string, trace: string) =>
  JSON.stringify({
    errors: [{ code, message: 'CANARY msg', long_message: 'CANARY <b>upgrade</b> at https://evil.example' }],
    clerk_trace_id: trace,
  });

beforeAll(async () => {
  setup = await startConsoleFixture({ name: 'refusals' });
  fx = setup.api;
  setClerkClientForTests(createConsoleClerkClient(getEnv()));
  const res = await fetch(
    `${fx.url}/v1/users?email_address=${encodeURIComponent(ACCOUNT_FIXTURES.secured)}`,
    {
      headers: { Authorization: `Bearer ${fx.secretKey}` },
    },
  );
  secured = ((await res.json()) as UserJson[])[0]!.id;
});

afterAll(async () => {
  setClerkClientForTests(null);
  await setup?.close();
});

beforeEach(async () => {
  await fx.faults.clear();
});

describe('plan refusals from the embedded API', () => {
  it('a 402 on a ban names banning, keeps the trace id and shows nothing of the body', async () => {
    await fx.faults.set([
      {
        path: '^/v1/users/[^/]+/ban$',
        status: 402,
        body: clerkBody('unsupported_subscription_plan_features', 'trace402ban'),
      },
    ]);
    const e = await rejection(banUser(secured));
    expect(e.kind).toBe('forbidden');
    expect(e.userMessage).toBe(MESSAGES.notInPlan('banning users'));
    expect(e.traceId).toBe('trace402ban');
    expect(e.outcomeUnknown).toBe(false);
    expect(JSON.stringify({ ...e, m: e.message })).not.toMatch(/CANARY|evil\.example/);
  });

  it('a 403 feature_not_enabled names the feature of each call', async () => {
    await fx.faults.set([
      { path: '^/v1/api_keys$', status: 403, body: clerkBody('feature_not_enabled', 'traceKeys') },
      { path: '/trusted_devices$', status: 403, body: clerkBody('feature_not_enabled', 'traceDevices') },
      { path: '/mfa$', status: 403, body: clerkBody('feature_not_enabled', 'traceMfa') },
      { path: '/lock$', status: 402 },
    ]);
    const keys = await rejection(listApiKeys(secured));
    expect(keys.userMessage).toBe(MESSAGES.notEnabled('API keys'));
    expect(keys.traceId).toBe('traceKeys');
    expect((await rejection(listTrustedDevices(secured))).userMessage).toBe(
      MESSAGES.notEnabled('trusted devices'),
    );
    expect((await rejection(disableMfa(secured))).userMessage).toBe(MESSAGES.notEnabled('resetting MFA'));
    const lock = await rejection(lockUser(secured));
    expect(lock.userMessage).toBe(MESSAGES.notInPlan('locking users'));
    expect(lock.traceId).toMatch(/^[0-9a-f]{32}$/);
  });

  it('passwords turned off reads as such; a 403 authorization_invalid is still the key', async () => {
    await fx.faults.set([
      { path: '/set_compromised$', status: 403, body: clerkBody('password_disabled', 'tracePw') },
      { path: '/ban$', status: 403 },
    ]);
    const pw = await rejection(setPasswordCompromised(secured, { revokeAllSessions: true }));
    expect(pw.kind).toBe('forbidden');
    expect(pw.userMessage).toBe(MESSAGES.passwordsOff);
    const key = await rejection(banUser(secured));
    expect(key.kind).toBe('key_rejected');
    expect(key.userMessage).toBe(MESSAGES.keyRejected);
  });
});
