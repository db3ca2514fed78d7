// Jobs you can trust (issue 19), tried as an attacker and as an incident lead through the running server: raw
// server-action calls with a support member's cookie (decoy owners, no owner, a replayed plan), a mass job without
// the password, and the incident list at its promised size (10,000 lines, 2 MB) through the real form and route.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { api, storageStateFor } from './support';
import {
  activeSessionsOf,
  auditExport,
  BASE_URL,
  deniedSince,
  replayAction,
  sessionCookieOf,
  sessionStatus,
  userInBand,
  type ActionResultJson,
  type SessionJson,
} from './security-helpers';

const INCIDENT = `${BASE_URL}/api/jobs/incident`;
const MAX_BYTES = 2 * 1024 * 1024;

function actionId(exportedName: string): string {
  const file = path.resolve(process.env.NEXT_DIST_DIR || '.next', 'server', 'server-reference-manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    node: Record<string, { filename: string; exportedName: string }>;
  };
  const hit = Object.entries(manifest.node).find(
    ([, v]) => v.filename === 'app/(console)/jobs/actions.ts' && v.exportedName === exportedName,
  );
  if (!hit) throw new Error(`no server action ${exportedName} in the build`);
  return hit[0];
}

/** A job action called the way a script holding a staff member's cookie would: raw HTTP, any arguments. */
async function callAs(
  role: 'admin' | 'support',
  name: 'dryRunJobAction' | 'createJobAction',
  input: Record<string, unknown>,
): Promise<ActionResultJson> {
  const reply = await replayAction(
    {
      url: `${BASE_URL}/users`,
      actionId: actionId(name),
      routerStateTree: null,
      contentType: 'text/plain;charset=UTF-8',
      body: '',
    },
    { args: [input], cookie: sessionCookieOf(role) },
  );
  expect(reply.result, reply.text.slice(0, 300)).not.toBeNull();
  return reply.result!;
}

async function plannedFor(role: 'admin' | 'support', target: Record<string, unknown>) {
  const dry = await callAs(role, 'dryRunJobAction', { target });
  expect(dry.ok, dry.message).toBe(true);
  return (dry as { data: { plan: string; sessions: number; stepUp: unknown } }).data;
}

async function jobsWithReason(reason: string): Promise<unknown[]> {
  const res = await fetch(`${BASE_URL}/api/jobs`, {
    headers: { cookie: `console.session=${sessionCookieOf('admin')}` },
  });
  const { jobs } = (await res.json()) as { jobs: { reason: string }[] };
  return jobs.filter((j) => j.reason === reason);
}

async function as(browser: Browser, role: 'admin' | 'support'): Promise<Page> {
  const context = await browser.newContext({ storageState: storageStateFor(role), baseURL: BASE_URL });
  return context.newPage();
}

function postList(
  body: BodyInit,
  opts: { role?: 'admin' | 'support' | null; headers?: Record<string, string> } = {},
) {
  const role = opts.role === undefined ? 'admin' : opts.role;
  return fetch(INCIDENT, {
    method: 'POST',
    headers: {
      'content-type': 'text/csv',
      'x-console-fetch': '1',
      origin: BASE_URL,
      ...(role ? { cookie: `console.session=${sessionCookieOf(role)}` } : {}),
      ...(opts.headers ?? {}),
    },
    body,
    ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
}

function rawPost(body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(INCIDENT, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test.describe('chosen sessions: the owner is proven, not taken from the browser', () => {
  let victim: { userId: string; active: SessionJson[] };
  let decoy: { userId: string; active: SessionJson[] };
  test.beforeAll(async () => {
    victim = await userInBand(260, 270, 2);
    decoy = await userInBand(270, 280, 2);
  });

  test("support naming a decoy user over another user's sessions: refused, nothing revoked", async () => {
    const target = {
      kind: 'sessions',
      sessionIds: [decoy.active[0]!.id, victim.active[0]!.id],
      userId: decoy.userId,
    };
    const dry = await callAs('support', 'dryRunJobAction', { target });
    expect(dry).toMatchObject({
      ok: false,
      message:
        '1 of the 2 chosen sessions is not an active session of this user: nothing was started. Reload the list and choose again.',
    });
    // The decoy's own session previewed honestly, then the victim's session added to the start request.
    const honest = await plannedFor('support', {
      kind: 'sessions',
      sessionIds: [decoy.active[0]!.id],
      userId: decoy.userId,
    });
    const reason = 'e2e trust: decoy owner';
    const started = await callAs('support', 'createJobAction', {
      target,
      reason,
      reasonCode: 'policy',
      idempotencyKey: crypto.randomUUID(),
      plan: honest.plan,
    });
    expect(started).toMatchObject({ ok: false, kind: 'invalid_input' });
    expect(await jobsWithReason(reason)).toEqual([]);
    expect(await sessionStatus(victim.active[0]!.id)).toBe('active');
    expect(await sessionStatus(decoy.active[0]!.id)).toBe('active');
  });

  test('support choosing sessions without naming their user: refused', async () => {
    const target = { kind: 'sessions', sessionIds: [victim.active[0]!.id] };
    const dry = await callAs('support', 'dryRunJobAction', { target });
    expect(dry).toMatchObject({ ok: false, kind: 'forbidden' });
    const honest = await plannedFor('support', {
      kind: 'sessions',
      sessionIds: [victim.active[0]!.id],
      userId: victim.userId,
    });
    const started = await callAs('support', 'createJobAction', {
      target,
      reason: 'e2e trust: no owner named',
      reasonCode: 'policy',
      idempotencyKey: crypto.randomUUID(),
      plan: honest.plan,
    });
    expect(started).toMatchObject({ ok: false, kind: 'forbidden' });
    expect(await sessionStatus(victim.active[0]!.id)).toBe('active');
  });

  test("a plan signed for one user's sessions is refused for another user", async () => {
    const mine = await plannedFor('support', {
      kind: 'sessions',
      sessionIds: [decoy.active[1]!.id],
      userId: decoy.userId,
    });
    const reason = 'e2e trust: plan replayed';
    const replayed = await callAs('support', 'createJobAction', {
      target: { kind: 'sessions', sessionIds: [victim.active[1]!.id], userId: victim.userId },
      reason,
      reasonCode: 'policy',
      idempotencyKey: crypto.randomUUID(),
      plan: mine.plan,
    });
    expect(replayed).toMatchObject({
      ok: false,
      message: 'The preview is out of date: close this dialog and open it again.',
    });
    const otherKind = await callAs('support', 'createJobAction', {
      target: { kind: 'users', userIds: [decoy.userId] },
      reason,
      reasonCode: 'policy',
      idempotencyKey: crypto.randomUUID(),
      plan: mine.plan,
    });
    expect(otherKind).toMatchObject({ ok: false, message: expect.stringContaining('out of date') });
    expect(await jobsWithReason(reason)).toEqual([]);
    expect(await sessionStatus(victim.active[1]!.id)).toBe('active');
  });

  test('a job over two users without the password: refused, audited, nothing revoked', async () => {
    const target = { kind: 'users', userIds: [victim.userId, decoy.userId] };
    const preview = await plannedFor('admin', target);
    expect(preview.stepUp).toEqual({ kind: 'password' });
    const reason = 'e2e trust: mass job, no password';
    const since = Date.now() - 1000;
    for (const password of [undefined, 'not-the-password']) {
      const r = await callAs('admin', 'createJobAction', {
        target,
        reason,
        reasonCode: 'policy',
        idempotencyKey: crypto.randomUUID(),
        plan: preview.plan,
        confirmCount: preview.sessions,
        ...(password ? { password } : {}),
      });
      expect(r).toMatchObject({ ok: false, kind: 'step_up_required' });
    }
    expect(await jobsWithReason(reason)).toEqual([]);
    expect((await activeSessionsOf(victim.userId)).length).toBe(victim.active.length);
    const rows = (await auditExport({ action: 'auth.step_up' })).filter(
      (r) => Date.parse(r.at!) >= since && r.other_details!.includes('"for":"job.start"'),
    );
    expect(rows.map((r) => `${r.outcome}/${r.code}`).sort()).toEqual([
      'failed/password_missing',
      'failed/wrong_password',
    ]);
  });
});

/** A CSV of exactly 10,000 lines of about 2 MB: `real` seeded emails first, then addresses nobody holds. */
function incidentCsv(real: string[]): string {
  const lines = ['email,name,notes'];
  const pad = 'x'.repeat(162);
  for (let i = 0; lines.length < 10_000; i++) {
    const email = i < real.length ? real[i]! : `nobody-${i}@incident.e2e.invalid`;
    lines.push(`${email},Person ${i},${pad}`);
  }
  return lines.join('\n');
}

test.describe('the incident list at its promised size', () => {
  test('10,000 lines (2 MB) uploaded in the real form: progress while looking up, every line accounted for', async ({
    browser,
  }) => {
    test.setTimeout(180_000);
    const { body } = await api('/v1/users?limit=40&offset=320&order_by=%2Bcreated_at');
    const users = body as {
      id: string;
      email_addresses: { email_address: string; verification: { status: string } | null }[];
    }[];
    const real = users.map(
      (u) => u.email_addresses.find((e) => e.verification?.status === 'verified')!.email_address,
    );
    const csv = incidentCsv(real);
    expect(csv.split('\n')).toHaveLength(10_000);
    expect(Buffer.byteLength(csv)).toBeGreaterThan(1_900_000);
    expect(Buffer.byteLength(csv)).toBeLessThanOrEqual(MAX_BYTES);

    const page = await as(browser, 'admin');
    await page.goto('/jobs/new');
    await page
      .getByLabel('Upload a CSV')
      .setInputFiles({ name: 'incident.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await expect(page.getByLabel('Emails or user ids')).not.toHaveValue('');
    await page.getByRole('button', { name: 'Look up users' }).click();
    await expect(page.getByTestId('incident-progress')).toHaveText(
      /^(Sending 10,000 lines|Read 9,999 lines|Looked up [\d,]+ of 9,999)…$/,
    );
    const summary = page.getByTestId('incident-summary');
    await expect(summary).toHaveText(
      new RegExp(
        `^${real.length} found, ${(9_999 - real.length).toLocaleString('en-US')} not found, [\\d,]+ active sessions$`,
      ),
      { timeout: 120_000 },
    );
    await expect(page.getByTestId('incident-progress')).toHaveCount(0);
    await expect(page.getByLabel('Password')).toBeVisible();

    // Without the password nothing starts, whatever else is right.
    const sessions = Number(
      (await summary.textContent())!.match(/([\d,]+) active sessions/)![1]!.replace(/,/g, ''),
    );
    await page.getByLabel('Reason').fill('e2e trust: 10,000-line list, no password');
    await page.getByLabel('Category').selectOption('suspected_compromise');
    await page.getByLabel(`Type ${sessions} to confirm`).fill(String(sessions));
    await page.getByRole('button', { name: `Sign out ${sessions.toLocaleString('en-US')} sessions` }).click();
    await expect(page.getByText('Your password was not accepted.')).toBeVisible();
    await expect(page).toHaveURL(/\/jobs\/new$/);
    expect(await jobsWithReason('e2e trust: 10,000-line list, no password')).toEqual([]);
    await page.context().close();
  });

  test('past 2 MB the route answers 413 with a plain message, by Content-Length and while streaming', async () => {
    const over = 'a'.repeat(MAX_BYTES + 1);
    const declared = await postList(over);
    expect(declared.status).toBe(413);
    expect(declared.headers.get('content-type')).toMatch(/^text\/plain/);
    expect((await declared.text()).trim()).toBe(
      'The list is too long: 2 MB at most. Split it and start one job per part.',
    );
    // No Content-Length (chunked): counted as it arrives.
    const chunk = new TextEncoder().encode('b'.repeat(256 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > MAX_BYTES) return controller.close();
        sent += chunk.byteLength;
        controller.enqueue(chunk);
      },
    });
    const streamed = await postList(stream);
    expect(streamed.status).toBe(413);
  });

  test('the route takes only the console’s own same-origin fetch, from a member with the incident permission', async () => {
    const list = 'nobody@incident.e2e.invalid\n';
    const crossSite = await postList(list, { headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.status).toBe(403);
    const foreignOrigin = await postList(list, { headers: { origin: 'https://evil.example' } });
    expect(foreignOrigin.status).toBe(403);
    // A form posted by the browser (a navigation); Node's fetch would put its own Sec-Fetch-Mode on the request.
    const navigation = await rawPost(list, {
      'content-type': 'text/plain',
      'x-console-fetch': '1',
      'sec-fetch-site': 'same-origin',
      'sec-fetch-mode': 'navigate',
      cookie: `console.session=${sessionCookieOf('admin')}`,
    });
    expect(navigation).toBe(403);
    const plainForm = await fetch(INCIDENT, {
      method: 'POST',
      headers: {
        'content-type': 'text/plain',
        origin: BASE_URL,
        cookie: `console.session=${sessionCookieOf('admin')}`,
      },
      body: list,
    });
    expect(plainForm.status).toBe(403);
    expect((await postList(list, { role: null })).status).toBe(401);

    const since = Date.now();
    const support = await postList(list, { role: 'support' });
    expect(support.status).toBe(403);
    await expect
      .poll(() => deniedSince('support@example.com', 'api:job.resolve_incident', since))
      .toBeGreaterThan(0);

    const ok = await postList(list);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const lines = (await ok.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; result?: { notFound: unknown[] } });
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      result: { notFound: [{ input: 'nobody@incident.e2e.invalid', why: 'not_found' }] },
    });
  });
});
