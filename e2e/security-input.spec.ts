import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, storageStateFor } from './support';
import {
  expectHealthy,
  recordSessionActions,
  recordedArgs,
  replayAction,
  sessionCookieOf,
  sessionStatus,
  upstreamRequests,
  upstreamRequestsMentioning,
  userInBand,
  type ActionReply,
} from './security-helpers';

/**
 * Malformed and injected ids, through pages and through replayed actions. Every one gets a plain validation
 * message (or a 4xx), never reaches the Clerk API, and leaves the console healthy.
 */

type Recorded = Awaited<ReturnType<typeof recordSessionActions>>;
let rec: Recorded;
let subject: { userId: string; sessionId: string };

// Fragments that only the hostile inputs below contain: no legitimate upstream request carries any of them.
const HOSTILE_FRAGMENTS = [
  '../',
  '..%2F',
  'a=b',
  '\u0000',
  '\r',
  '\n',
  '#',
  'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  '<img',
];
const LONG = 'a'.repeat(10_000);

test.beforeAll(async ({ browser }) => {
  const user = await userInBand(30, 45, 1);
  subject = { userId: user.userId, sessionId: user.active[0]!.id };
  rec = await recordSessionActions(browser, subject.userId, subject.sessionId);
});

async function expectNoHostileUpstream(since: number) {
  expect(await upstreamRequestsMentioning(since, HOSTILE_FRAGMENTS)).toEqual([]);
}

test.describe('through pages', () => {
  test.use({ storageState: storageStateFor('support') });

  const invalidLists: [string, RegExp][] = [
    ['/sessions?user_id=../../v1/users', /Not a user id \(user_…\)\./],
    ['/sessions?user_id=user_abc%2F..%2F..%2Fv1%2Fjwks', /Not a user id/],
    ['/sessions?client_id=client_x%3Fa%3Db', /Not a client id \(client_…\)\./],
    ['/sessions?user_id=user_abc%23frag', /Not a user id/],
    ['/sessions?user_id=user_abc%00', /Not a user id/],
    ['/sessions?user_id=user_abc%0d%0aSet-Cookie:%20x=y', /Not a user id/],
    [`/sessions?user_id=user_${LONG}`, /Not a user id/],
    ['/sessions?user_id=user_abc&limit=5000', /Page size must be between 1 and 100\./],
    ['/sessions?user_id=user_abc&offset=-1', /Page offset must be a whole number/],
    ['/sessions?user_id=user_abc&status=%3Cscript%3E', /Unknown status filter\./],
  ];

  test('hand-edited sessions links explain what is wrong and fetch nothing', async ({ page }) => {
    page.on('dialog', (d) => {
      throw new Error(`a dialog fired: ${d.message()}`);
    });
    const since = Date.now();
    for (const [url, message] of invalidLists) {
      await test.step(url.slice(0, 80), async () => {
        const res = await page.goto(url);
        expect(res?.status()).toBeLessThan(500);
        const alert = page.getByRole('alert').filter({ hasText: 'This link can’t be opened' });
        await expect(alert).toBeVisible();
        await expect(alert).toContainText(message);
      });
    }
    await expectNoHostileUpstream(since);
    await expectHealthy();
  });

  const invalidDetails = [
    '/sessions/sess_%2F..%2Fusers',
    '/sessions/sess_abc%23frag',
    '/sessions/sess_abc%3Fa%3Db',
    '/sessions/sess_%00',
    '/sessions/sess_abc%0d%0aSet-Cookie:%20x=y',
    '/sessions/..%2F..%2Fv1%2Fjwks',
    '/sessions/sess_%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E',
    `/sessions/sess_${LONG}`,
  ];

  test('a malformed session id in the path is named "not a session id", as text, and fetches nothing', async ({
    page,
  }) => {
    page.on('dialog', (d) => {
      throw new Error(`a dialog fired: ${d.message()}`);
    });
    const since = Date.now();
    for (const url of invalidDetails) {
      await test.step(url.slice(0, 80), async () => {
        const res = await page.goto(url);
        expect(res?.status()).toBeLessThan(500);
        // No header smuggled through the path.
        expect((await res!.allHeaders())['set-cookie'] ?? '').not.toMatch(/(^|\n)x=y/);
        await expect(page.getByRole('heading', { name: 'Not a session id' })).toBeVisible();
        await expect(
          page.getByRole('alert').filter({ hasText: 'This address does not name a session.' }),
        ).toBeVisible();
        await expect(page.locator('img[src="x"]')).toHaveCount(0);
      });
    }
    await expectNoHostileUpstream(since);
    await expectHealthy();
  });

  test('user search: control characters are refused in place; 10,000 characters are cut before any search', async ({
    page,
  }) => {
    const since = Date.now();
    for (const q of ['%00', 'ada%0d%0aX-Injected:%201', '%1b%5B31m']) {
      const res = await page.goto(`/users?query=${q}`);
      expect(res?.status()).toBeLessThan(500);
      await expect(
        page
          .getByRole('alert')
          .filter({ hasText: 'Enter an email address, name, phone number or id to search for.' }),
      ).toBeVisible();
    }
    await expectNoHostileUpstream(since);

    const res = await page.goto(`/users?query=${LONG}`);
    expect(res?.status()).toBeLessThan(500);
    await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
    const searched = await upstreamRequests({ since, path: /^\/v1\/users/ });
    for (const r of searched) expect(r.query.length, r.query.slice(0, 80)).toBeLessThan(1_000);
    await expectHealthy();
  });
});

test.describe('through replayed actions', () => {
  function expectInvalid(reply: ActionReply, field?: string) {
    if (reply.result === null) {
      // Not even decodable as action arguments: refused by Next before the action ran.
      expect(reply.errored, reply.text.slice(0, 200)).toBe(true);
      expect(reply.status).toBeGreaterThanOrEqual(400);
      return;
    }
    expect(reply.result.ok, reply.text.slice(0, 300)).toBe(false);
    if (reply.result.ok) return;
    expect(reply.result.kind).toBe('invalid_input');
    expect(reply.result.message).toBe('Check the highlighted fields.');
    if (field) expect(Object.keys(reply.result.fieldErrors ?? {})).toContain(field);
  }

  test('revoke: wrong types, missing and extra fields, injected ids, positional arguments', async () => {
    const support = sessionCookieOf('support');
    const sid = subject.sessionId;
    const reason = 'security suite: malformed input';
    const cases: [string, unknown[] | string, string?][] = [
      ['number id', [{ sessionId: 123, reason }], 'sessionId'],
      ['array id', [{ sessionId: [sid], reason }], 'sessionId'],
      ['object id', [{ sessionId: { $ne: null }, reason }], 'sessionId'],
      ['null id', [{ sessionId: null, reason }], 'sessionId'],
      ['missing id', [{ reason }], 'sessionId'],
      ['missing reason', [{ sessionId: sid }], 'reason'],
      ['reason too long', [{ sessionId: sid, reason: 'r'.repeat(501) }], 'reason'],
      ['extra key', [{ sessionId: sid, reason, role: 'admin' }]],
      ['path traversal', [{ sessionId: 'sess_abc/../../users', reason }], 'sessionId'],
      ['dot-dot only', [{ sessionId: '../../v1/jwks', reason }], 'sessionId'],
      ['query in id', [{ sessionId: 'sess_abc?a=b', reason }], 'sessionId'],
      ['fragment in id', [{ sessionId: 'sess_abc#x', reason }], 'sessionId'],
      ['NUL in id', [{ sessionId: 'sess_abc\u0000', reason }], 'sessionId'],
      ['CRLF in id', [{ sessionId: 'sess_abc\r\nX-Injected: 1', reason }], 'sessionId'],
      ['10,000 chars', [{ sessionId: `sess_${LONG}`, reason }], 'sessionId'],
      ['positional arguments', [sid, reason]],
      ['no arguments', []],
      ['a number, not an array', '5'],
      ['not JSON', '{{{'],
    ];
    const since = Date.now();
    for (const [label, args, field] of cases) {
      await test.step(label, async () => {
        const reply = await replayAction(rec.revoke, {
          cookie: support,
          ...(typeof args === 'string' ? { body: args } : { args }),
        });
        expectInvalid(reply, field);
        const given = Array.isArray(args)
          ? (args[0] as { sessionId?: unknown } | undefined)?.sessionId
          : undefined;
        if (field === 'sessionId' && typeof given === 'string' && reply.result && !reply.result.ok)
          expect(reply.result.fieldErrors?.sessionId).toContain('Not a session id (sess_…).');
      });
    }
    expect(
      await upstreamRequests({ since, method: 'POST', path: /\/revoke$/ }).then((r) =>
        r.filter((x) => x.path.includes(sid)),
      ),
    ).toEqual([]);
    await expectNoHostileUpstream(since);
    expect(await sessionStatus(sid)).toBe('active');
    await expectHealthy();
  });

  test('dry run and job start: hostile ids and out-of-range values are refused as a whole', async () => {
    const support = sessionCookieOf('support');
    const sid = subject.sessionId;
    const bulk = recordedArgs(rec.bulk);
    const target = bulk.target as Record<string, unknown>;
    const since = Date.now();
    const cases: [string, typeof rec.bulk, unknown[], string?][] = [
      [
        'dry run: traversal',
        rec.activeIds,
        [{ target: { kind: 'users', userIds: ['user_../x'] } }],
        'target.userIds.0',
      ],
      [
        'dry run: a string, not a list',
        rec.activeIds,
        [{ target: { kind: 'users', userIds: subject.userId } }],
        'target.userIds',
      ],
      [
        'job: 1,001 ids',
        rec.bulk,
        [
          {
            ...bulk,
            target: {
              ...target,
              sessionIds: Array.from({ length: 1001 }, (_, i) => `sess_${i}x${sid.slice(5)}`),
            },
          },
        ],
        'target.sessionIds',
      ],
      [
        'job: one bad id spoils the job',
        rec.bulk,
        [{ ...bulk, target: { ...target, sessionIds: [sid, 'sess_../../users'] } }],
        'target.sessionIds.1',
      ],
      ['job: empty', rec.bulk, [{ ...bulk, target: { ...target, sessionIds: [] } }], 'target.sessionIds'],
      [
        'job: a string, not a list',
        rec.bulk,
        [{ ...bulk, target: { ...target, sessionIds: sid } }],
        'target.sessionIds',
      ],
      [
        'job: idempotency key not a uuid',
        rec.bulk,
        [{ ...bulk, idempotencyKey: "1'; DROP TABLE audit;--" }],
        'idempotencyKey',
      ],
      [
        'job: user id injected',
        rec.bulk,
        [{ ...bulk, target: { ...target, userId: 'user_x#y' } }],
        'target.userId',
      ],
      ['job: unknown kind', rec.bulk, [{ ...bulk, target: { kind: 'everyone' } }]],
      [
        'job: no reason',
        rec.bulk,
        [{ target, idempotencyKey: bulk.idempotencyKey, plan: bulk.plan }],
        'reason',
      ],
    ];
    for (const [label, action, args, field] of cases) {
      await test.step(label, async () => {
        expectInvalid(await replayAction(action, { cookie: support, args }), field);
      });
    }
    expect((await upstreamRequests({ since, method: 'POST' })).filter((r) => r.path.includes(sid))).toEqual(
      [],
    );
    await expectNoHostileUpstream(since);
    expect(await sessionStatus(sid)).toBe('active');
  });

  test('token: template names and lifetimes are validated before the password or Clerk is asked', async () => {
    const admin = sessionCookieOf('admin');
    const token = recordedArgs(rec.token);
    const since = Date.now();
    const cases: [string, Record<string, unknown>, string][] = [
      ['template traversal', { template: '../jwks' }, 'template'],
      ['template with path', { template: 'hasura/../../users' }, 'template'],
      ['template with query', { template: 'hasura?a=b' }, 'template'],
      ['template with fragment', { template: 'hasura#x' }, 'template'],
      ['template empty', { template: '' }, 'template'],
      ['template 10,000 chars', { template: LONG }, 'template'],
      ['template an array', { template: ['hasura'] }, 'template'],
      ['lifetime not a number', { expiresInSeconds: 'NaN' }, 'expiresInSeconds'],
      ['lifetime too long', { expiresInSeconds: 1e12 }, 'expiresInSeconds'],
      ['lifetime negative', { expiresInSeconds: -5 }, 'expiresInSeconds'],
      ['lifetime fractional', { expiresInSeconds: 45.5 }, 'expiresInSeconds'],
      ['session id injected', { sessionId: 'sess_abc/../../tokens' }, 'sessionId'],
      ['password oversized', { password: 'p'.repeat(2000) }, 'password'],
    ];
    for (const [label, patch, field] of cases) {
      await test.step(label, async () => {
        expectInvalid(
          await replayAction(rec.token, {
            cookie: admin,
            args: [{ ...token, password: DEMO_PASSWORD, ...patch }],
          }),
          field,
        );
      });
    }
    expect(
      await upstreamRequests({ since, method: 'POST', path: /\/tokens/ }).then((r) =>
        r.filter((x) => x.path.includes(subject.sessionId)),
      ),
    ).toEqual([]);
    await expectNoHostileUpstream(since);
  });

  test('token: a well-formed template name that the instance does not list never reaches the token endpoint', async () => {
    const token = recordedArgs(rec.token);
    const since = Date.now();
    const reply = await replayAction(rec.token, {
      cookie: sessionCookieOf('admin'),
      args: [{ ...token, template: 'no-such-template', password: DEMO_PASSWORD }],
    });
    expect(reply.result?.ok).toBe(false);
    expect(reply.result?.ok === false && reply.result.message).toBe(
      'There is no JWT template with that name.',
    );
    expect(
      await upstreamRequests({ since, method: 'POST', path: /\/tokens/ }).then((r) =>
        r.filter((x) => x.path.includes(subject.sessionId)),
      ),
    ).toEqual([]);
  });

  test('a body over 64 kB is refused before the action runs; the console stays healthy', async () => {
    const since = Date.now();
    const reply = await replayAction(rec.revoke, {
      cookie: sessionCookieOf('support'),
      args: [{ sessionId: subject.sessionId, reason: 'r'.repeat(70 * 1024) }],
    });
    expect(reply.result, reply.text.slice(0, 200)).toBeNull();
    expect(reply.errored).toBe(true);
    // Next reports its 413 ("Body exceeded 64kb limit") to a fetch action as a failed action (HTTP 500).
    expect([413, 500]).toContain(reply.status);
    expect(
      await upstreamRequests({ since, method: 'POST', path: /\/revoke$/ }).then((r) =>
        r.filter((x) => x.path.includes(subject.sessionId)),
      ),
    ).toEqual([]);
    expect(await sessionStatus(subject.sessionId)).toBe('active');
    await expectHealthy();
  });
});
