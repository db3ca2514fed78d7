import 'server-only';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClerkClient } from '@clerk/backend';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  ConsoleApiError,
  CONSOLE_ERROR_MESSAGES as MESSAGES,
  createTokenFromTemplate,
  findUsers,
  getClient,
  getSession,
  getUser,
  listSessions,
  listTemplates,
  revokeSession,
  verifyTokenAgainstJwks,
} from '@/lib/clerk';
import { setClerkClientForTests } from '@/lib/testing/clerk-client';
import { clearJwksCacheForTests } from './jwks';
import {
  clerkErrorBody,
  sessionJson,
  startStubBapi,
  userJson,
  type StubBapi,
  type StubHandler,
  type StubReply,
  type StubRequest,
} from '@/lib/testing/stub-bapi';

const SECRET = `sk_test_stub${'0'.repeat(30)}`;
/** The deadline of the tests about timeouts; the others run with the usual one, so a busy machine can't fail them. */
const TIMEOUT_MS = 400;
const SID = 'sess_2abcStubSession0001';
const UID = 'user_2abcStubUser0001';
const CID = 'client_2abcStubClient0001';

let stub: StubBapi;

let client: ReturnType<typeof createClerkClient>;
const withShortDeadline = () => setClerkClientForTests(client, { timeoutMs: TIMEOUT_MS });

beforeAll(async () => {
  stub = await startStubBapi();
  client = createClerkClient({ secretKey: SECRET, apiUrl: stub.url, telemetry: { disabled: true } });
});
afterAll(async () => {
  setClerkClientForTests(null);
  await stub.close();
});
beforeEach(() => {
  setClerkClientForTests(client);
  stub.requests.length = 0;
  stub.handle(routes({}));
  clearJwksCacheForTests();
});

const notFound = (): StubReply => ({
  status: 404,
  json: clerkErrorBody('resource_not_found', 'not found', 'Resource not found'),
});

/** `METHOD /path` → reply; unknown routes answer 404 like Clerk. */
function routes(table: Record<string, StubReply | ((req: StubRequest) => StubReply)>): StubHandler {
  return (req) => {
    const entry = table[`${req.method} ${req.path}`];
    if (!entry) return notFound();
    return typeof entry === 'function' ? entry(req) : entry;
  };
}

/** Replies `first` to the first `times` requests, then `then`. */
function sequence(times: number, first: StubReply, then: StubReply): () => StubReply {
  let n = 0;
  return () => (n++ < times ? first : then);
}

async function rejection(p: Promise<unknown>): Promise<ConsoleApiError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConsoleApiError);
    return e as ConsoleApiError;
  }
  throw new Error('expected a rejection');
}

const page = (items: unknown[], total = items.length) => ({ data: items, total_count: total });

describe('DTOs built from real SDK objects', () => {
  it('getSession returns a plain session object with exactly the documented fields', async () => {
    stub.handle(
      routes({
        [`GET /v1/sessions/${SID}`]: {
          json: sessionJson({
            actor: { sub: 'user_admin1', iss: 'https://dashboard.clerk.com', extra: 'x' },
          }),
        },
      }),
    );
    const s = await getSession(SID);
    expect(Object.getPrototypeOf(s)).toBe(Object.prototype);
    expect(s).toStrictEqual({
      id: SID,
      userId: UID,
      clientId: CID,
      status: 'active',
      lastActiveAt: 1_760_000_005_000,
      expireAt: 1_760_000_000_000 + 7 * 86_400_000,
      abandonAt: 1_760_000_000_000 + 30 * 86_400_000,
      createdAt: 1_760_000_000_000,
      updatedAt: 1_760_000_005_000,
      lastActiveOrganizationId: null,
      actor: { sub: 'user_admin1', iss: 'https://dashboard.clerk.com' },
      latestActivity: {
        deviceType: 'Macintosh',
        browserName: 'Firefox',
        browserVersion: '140.0',
        isMobile: false,
        ipAddress: '203.0.113.7',
        city: 'Lisbon',
        country: 'PT',
      },
    });
    expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('getUser returns the primary identifiers and none of the metadata, identifier ids or external id', async () => {
    stub.handle(routes({ [`GET /v1/users/${UID}`]: { json: userJson() } }));
    const u = await getUser(UID);
    expect(u).toStrictEqual({
      id: UID,
      firstName: 'Grace',
      lastName: 'Hopper',
      displayName: 'Grace Hopper',
      primaryEmail: 'grace@example.com',
      primaryPhone: '+15550100',
      imageUrl: 'https://img.clerk.com/stub-grace',
      createdAt: 1_760_000_000_000 - 86_400_000,
      lastActiveAt: 1_760_000_005_000,
      lastSignInAt: 1_760_000_001_000,
      banned: false,
      locked: false,
    });
    const text = JSON.stringify(u);
    for (const secret of [
      'PRIVATE-CANARY',
      'UNSAFE-CANARY',
      'EXTERNAL-CANARY',
      'idn_',
      'old@example.com',
      'plan',
    ])
      expect(text).not.toContain(secret);
  });

  it('falls back to other names for displayName and drops non-https images', async () => {
    stub.handle(
      routes({
        [`GET /v1/users/${UID}`]: {
          json: userJson({
            first_name: null,
            last_name: null,
            username: null,
            image_url: 'http://tracker.example/pixel',
          }),
        },
      }),
    );
    const u = await getUser(UID);
    expect(u.displayName).toBe('grace@example.com');
    expect(u.imageUrl).toBeNull();
  });

  it('getClient maps its sessions to session DTOs', async () => {
    stub.handle(
      routes({
        [`GET /v1/clients/${CID}`]: {
          json: {
            object: 'client',
            id: CID,
            session_ids: [SID],
            sessions: [sessionJson()],
            sign_in_id: 'sia_SECRET',
            sign_up_id: null,
            last_active_session_id: SID,
            last_authentication_strategy: 'password',
            created_at: 1,
            updated_at: 2,
          },
        },
      }),
    );
    const c = await getClient(CID);
    expect(c).toMatchObject({
      id: CID,
      sessionIds: [SID],
      lastActiveSessionId: SID,
      createdAt: 1,
      updatedAt: 2,
    });
    expect(c.sessions.map((s) => s.id)).toEqual([SID]);
    expect(JSON.stringify(c)).not.toContain('sia_SECRET');
  });

  it('shows an unknown upstream status as ended, never as active', async () => {
    stub.handle(routes({ [`GET /v1/sessions/${SID}`]: { json: sessionJson({ status: 'quarantined' }) } }));
    expect((await getSession(SID)).status).toBe('ended');
  });
});

describe('input is validated before any request', () => {
  const bad = [
    '../users',
    'sess_abc/../../users',
    'sess_abc%2F..',
    'sess_abc?x=1',
    'sess_abc#x',
    'sess_ab c',
    `sess_${'a'.repeat(10_000)}`,
    'sess_аbc',
  ];

  it.each(bad)('session id %j', async (id) => {
    for (const call of [getSession(id), revokeSession(id), createTokenFromTemplate(id, 'hasura')]) {
      const err = await rejection(call);
      expect(err.kind).toBe('invalid_input');
      expect(err.userMessage).toBe('Not a valid session id.');
    }
    expect(stub.requests).toHaveLength(0);
  });

  it('user, client and template names, lifetimes, list queries and searches', async () => {
    const calls: [Promise<unknown>, string][] = [
      [getUser('user_../x'), 'Not a valid user id.'],
      [getClient('client_%2F'), 'Not a valid client id.'],
      [createTokenFromTemplate(SID, '../jwks'), 'Not a valid template name.'],
      [
        createTokenFromTemplate(SID, 'hasura', 29),
        'The lifetime must be a whole number of seconds from 30 to 3600.',
      ],
      [
        createTokenFromTemplate(SID, 'hasura', 315_360_000),
        'The lifetime must be a whole number of seconds from 30 to 3600.',
      ],
      [
        createTokenFromTemplate(SID, 'hasura', 3_601),
        'The lifetime must be a whole number of seconds from 30 to 3600.',
      ],
      [
        createTokenFromTemplate(SID, 'hasura', 60.5),
        'The lifetime must be a whole number of seconds from 30 to 3600.',
      ],
      [listSessions({ userId: 'user_a/b', status: 'active', limit: 10, offset: 0 }), 'Not a valid user id.'],
      [
        listSessions({ clientId: 'client_a?b', status: 'active', limit: 10, offset: 0 }),
        'Not a valid client id.',
      ],
      [
        listSessions({ userId: UID, clientId: CID, status: 'active', limit: 10, offset: 0 }),
        'Give either a user id or a client id.',
      ],
      [listSessions({ status: 'active', limit: 10, offset: 0 }), 'Give either a user id or a client id.'],
      [listSessions({ userId: UID, status: 'active', limit: 501, offset: 0 }), MESSAGES.invalid.any],
      [listSessions({ userId: UID, status: 'active', limit: 0, offset: 0 }), MESSAGES.invalid.any],
      [listSessions({ userId: UID, status: 'active', limit: 10, offset: -1 }), MESSAGES.invalid.any],
      [
        listSessions({ userId: UID, status: 'bogus' as 'active', limit: 10, offset: 0 }),
        MESSAGES.invalid.any,
      ],
      [findUsers('   ', { limit: 10, offset: 0 }), MESSAGES.emptySearch],
      [findUsers('ada\u0000', { limit: 10, offset: 0 }), MESSAGES.emptySearch],
      [findUsers('ada', { limit: 1000, offset: 0 }), MESSAGES.invalidPage],
    ];
    for (const [call, message] of calls) {
      const err = await rejection(call);
      expect(err.kind).toBe('invalid_input');
      expect(err.userMessage).toBe(message);
    }
    expect(stub.requests).toHaveLength(0);
  });
});

describe('listSessions', () => {
  it('sends the owner, status and paging, and returns totalCount', async () => {
    stub.handle(routes({ 'GET /v1/sessions': { json: page([sessionJson()], 42) } }));
    const res = await listSessions({ userId: UID, status: 'revoked', limit: 25, offset: 50 });
    expect(res.totalCount).toBe(42);
    expect(res.data[0]?.id).toBe(SID);
    const q = stub.requests[0]!.query;
    expect(Object.fromEntries(q)).toEqual({
      user_id: UID,
      status: 'revoked',
      limit: '25',
      offset: '50',
      paginated: 'true',
    });
  });

  it('sends no status for "all"', async () => {
    stub.handle(routes({ 'GET /v1/sessions': { json: page([]) } }));
    await listSessions({ clientId: CID, status: 'all', limit: 10, offset: 0 });
    expect(stub.requests[0]!.query.has('status')).toBe(false);
    expect(stub.requests[0]!.query.get('client_id')).toBe(CID);
  });

  it('answers "pending" by scanning unfiltered pages of 500 and filtering locally', async () => {
    const pages = [
      Array.from({ length: 500 }, (_, i) =>
        sessionJson({ id: `sess_p${i}`, status: i % 100 === 0 ? 'pending' : 'active' }),
      ),
      Array.from({ length: 20 }, (_, i) =>
        sessionJson({ id: `sess_q${i}`, status: i === 3 ? 'pending' : 'ended' }),
      ),
    ];
    stub.handle(
      routes({
        'GET /v1/sessions': (req) => ({
          json: page(pages[Number(req.query.get('offset') ?? 0) / 500] ?? [], 520),
        }),
      }),
    );
    const res = await listSessions({ userId: UID, status: 'pending', limit: 4, offset: 1 });
    expect(res.totalCount).toBe(6);
    expect(res.data.map((s) => s.id)).toEqual(['sess_p100', 'sess_p200', 'sess_p300', 'sess_p400']);
    expect(stub.requests).toHaveLength(2);
    for (const r of stub.requests) {
      expect(r.query.has('status')).toBe(false);
      expect(r.query.get('limit')).toBe('500');
    }
  });
});

describe('resilience', () => {
  it('retries a read once after a 429, waiting the Retry-After', async () => {
    stub.handle(
      routes({
        [`GET /v1/sessions/${SID}`]: sequence(
          1,
          {
            status: 429,
            headers: { 'Retry-After': '1' },
            json: clerkErrorBody('too_many_requests', 'Too many requests', 'Too many requests, retry later'),
          },
          { json: sessionJson() },
        ),
      }),
    );
    const started = Date.now();
    expect((await getSession(SID)).id).toBe(SID);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(stub.requests).toHaveLength(2);
  });

  it('fails fast with rate_limited when Retry-After is longer than 5 s', async () => {
    stub.handle(
      routes({
        [`GET /v1/sessions/${SID}`]: {
          status: 429,
          headers: { 'Retry-After': '30' },
          json: clerkErrorBody('too_many_requests', 'Too many requests', 'x'),
        },
      }),
    );
    const err = await rejection(getSession(SID));
    expect(err.kind).toBe('rate_limited');
    expect(err.retryAfterSeconds).toBe(30);
    expect(err.userMessage).toBe('Clerk is rate-limiting requests. Retry in 30 s.');
    expect(stub.requests).toHaveLength(1);
  });

  it('retries a read only once', async () => {
    stub.handle(
      routes({
        [`GET /v1/sessions/${SID}`]: {
          status: 429,
          headers: { 'Retry-After': '0' },
          json: clerkErrorBody('too_many_requests', 'Too many requests', 'x'),
        },
      }),
    );
    expect((await rejection(getSession(SID))).kind).toBe('rate_limited');
    expect(stub.requests).toHaveLength(2);
  });

  it('retries a read once after a reset connection', async () => {
    stub.handle(
      routes({ [`GET /v1/sessions/${SID}`]: sequence(1, { reset: true }, { json: sessionJson() }) }),
    );
    expect((await getSession(SID)).id).toBe(SID);
    expect(stub.requests).toHaveLength(2);
  });

  it('reports a read that keeps failing to connect as unavailable', async () => {
    stub.handle(routes({ [`GET /v1/sessions/${SID}`]: { reset: true } }));
    const err = await rejection(getSession(SID));
    expect(err.kind).toBe('unavailable');
    expect(err.outcomeUnknown).toBe(false);
    expect(stub.requests).toHaveLength(2);
  });

  it('never retries a revoke, even after a 429', async () => {
    stub.handle(
      routes({
        [`POST /v1/sessions/${SID}/revoke`]: {
          status: 429,
          headers: { 'Retry-After': '1' },
          json: clerkErrorBody('too_many_requests', 'Too many requests', 'x'),
        },
      }),
    );
    const err = await rejection(revokeSession(SID));
    expect(err.kind).toBe('rate_limited');
    expect(err.outcomeUnknown).toBe(false);
    expect(stub.requests).toHaveLength(1);
  });

  it('reports a revoke whose connection was reset as an unknown outcome, without retrying', async () => {
    stub.handle(routes({ [`POST /v1/sessions/${SID}/revoke`]: { reset: true } }));
    const err = await rejection(revokeSession(SID));
    expect(err).toMatchObject({
      kind: 'unavailable',
      outcomeUnknown: true,
      userMessage: MESSAGES.outcomeUnknown,
    });
    expect(stub.requests).toHaveLength(1);
  });

  it('times out a slow read as unavailable (not retried)', async () => {
    // The answer comes long after the deadline: a call that waited for it would take 5 s more and succeed.
    stub.handle(routes({ [`GET /v1/sessions/${SID}`]: { delayMs: TIMEOUT_MS + 5000, json: sessionJson() } }));
    withShortDeadline();
    const started = Date.now();
    const err = await rejection(getSession(SID));
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 5000);
    expect(err).toMatchObject({ kind: 'unavailable', outcomeUnknown: false, userMessage: MESSAGES.timedOut });
    expect(stub.requests).toHaveLength(1);
  });

  it('times out a slow revoke as an unknown outcome', async () => {
    stub.handle(
      routes({
        [`POST /v1/sessions/${SID}/revoke`]: {
          delayMs: TIMEOUT_MS + 5000,
          json: sessionJson({ status: 'revoked' }),
        },
      }),
    );
    withShortDeadline();
    const err = await rejection(revokeSession(SID));
    expect(err).toMatchObject({ kind: 'unavailable', outcomeUnknown: true });
    expect(stub.requests).toHaveLength(1);
  });

  it('maps a 500 with an HTML body to unavailable without echoing the body, and does not retry it', async () => {
    const html = '<html><body><h1>CANARY upstream exploded</h1><script>alert(1)</script></body></html>';
    stub.handle(
      routes({ [`GET /v1/sessions/${SID}`]: { status: 500, contentType: 'text/html', text: html } }),
    );
    const err = await rejection(getSession(SID));
    expect(err.kind).toBe('unavailable');
    expect(JSON.stringify({ ...err, m: err.message })).not.toMatch(/CANARY|<script|html/);
    expect(stub.requests).toHaveLength(1);
  });

  it('reports a 500 on revoke as an unknown outcome', async () => {
    stub.handle(
      routes({
        [`POST /v1/sessions/${SID}/revoke`]: {
          status: 500,
          json: clerkErrorBody('internal_clerk_error', 'Oops', 'x'),
        },
      }),
    );
    expect(await rejection(revokeSession(SID))).toMatchObject({
      kind: 'unavailable',
      outcomeUnknown: true,
      status: 500,
      clerkCode: 'internal_clerk_error',
    });
  });

  it('reports a rejected key as a configuration problem', async () => {
    stub.handle(() => ({
      status: 401,
      json: clerkErrorBody('clerk_key_invalid', 'The provided Clerk Secret Key is invalid.', 'x'),
    }));
    const err = await rejection(getSession(SID));
    expect(err.kind).toBe('key_rejected');
    expect(err.userMessage).toBe(MESSAGES.keyRejected);
    expect(err.traceId).toBe('a1b2c3d4e5f60718293a4b5c6d7e8f90');
  });
});

describe('revokeSession', () => {
  it('returns the revoked session', async () => {
    stub.handle(
      routes({ [`POST /v1/sessions/${SID}/revoke`]: { json: sessionJson({ status: 'revoked' }) } }),
    );
    expect((await revokeSession(SID)).status).toBe('revoked');
    expect(stub.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /v1/sessions/${SID}/revoke`]);
  });

  it('confirms a 400 against the session and reports already_revoked', async () => {
    stub.handle(
      routes({
        [`POST /v1/sessions/${SID}/revoke`]: {
          status: 400,
          json: clerkErrorBody(
            'invalid_action_for_session',
            'Invalid action',
            `Unable to revoke session ${SID}`,
          ),
        },
        [`GET /v1/sessions/${SID}`]: { json: sessionJson({ status: 'ended' }) },
      }),
    );
    const err = await rejection(revokeSession(SID));
    expect(err).toMatchObject({
      kind: 'already_revoked',
      userMessage: MESSAGES.alreadyRevoked,
      clerkCode: 'invalid_action_for_session',
      status: 400,
    });
    expect(stub.requests).toHaveLength(2);
  });

  it('does not call a refused revoke of a still-active session "already revoked"', async () => {
    stub.handle(
      routes({
        [`POST /v1/sessions/${SID}/revoke`]: {
          status: 400,
          json: clerkErrorBody('request_invalid', 'Bad', 'x'),
        },
        [`GET /v1/sessions/${SID}`]: { json: sessionJson({ status: 'active' }) },
      }),
    );
    expect(await rejection(revokeSession(SID))).toMatchObject({
      kind: 'unknown',
      userMessage: MESSAGES.revokeRefused,
    });
  });

  it('reports not_found for an unknown session', async () => {
    expect(await rejection(revokeSession(SID))).toMatchObject({
      kind: 'not_found',
      userMessage: 'Session not found.',
    });
  });
});

const templatesRoute = {
  json: page([
    {
      object: 'jwt_template',
      id: 'jtmpl_1',
      name: 'hasura',
      claims: { secret: 'CLAIMS-CANARY' },
      lifetime: 60,
      allowed_clock_skew: 5,
      custom_signing_key: false,
      signing_algorithm: 'RS256',
      created_at: 1,
      updated_at: 1,
    },
  ]),
};

describe('templates and tokens', () => {
  it('lists templates without their claims', async () => {
    stub.handle(routes({ 'GET /v1/jwt_templates': templatesRoute }));
    expect(await listTemplates()).toStrictEqual([
      { id: 'jtmpl_1', name: 'hasura', lifetime: 60, allowedClockSkew: 5 },
    ]);
  });

  it('refuses a template the instance does not list, without a token request', async () => {
    stub.handle(routes({ 'GET /v1/jwt_templates': templatesRoute }));
    const err = await rejection(createTokenFromTemplate(SID, 'analytics'));
    expect(err).toMatchObject({ kind: 'invalid_input', userMessage: MESSAGES.unknownTemplate });
    expect(stub.requests.map((r) => r.path)).toEqual(['/v1/jwt_templates']);
  });

  it('mints a token for a listed template with the requested lifetime', async () => {
    stub.handle(
      routes({
        'GET /v1/jwt_templates': templatesRoute,
        [`POST /v1/sessions/${SID}/tokens/hasura`]: {
          json: { object: 'token', jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
        },
      }),
    );
    expect(await createTokenFromTemplate(SID, 'hasura', 120)).toEqual({
      jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln',
    });
    expect(JSON.parse(stub.requests[1]!.body)).toEqual({ expires_in_seconds: 120 });
  });

  it('refuses a template that lasts longer than TOKEN_MAX_LIFETIME_SECONDS unless a shorter expiry is given', async () => {
    const long = { json: page([{ ...templatesRoute.json.data[0]!, lifetime: 86_400 }]) };
    stub.handle(
      routes({
        'GET /v1/jwt_templates': long,
        [`POST /v1/sessions/${SID}/tokens/hasura`]: {
          json: { object: 'token', jwt: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln' },
        },
      }),
    );
    expect(await rejection(createTokenFromTemplate(SID, 'hasura'))).toMatchObject({
      kind: 'invalid_input',
      userMessage: expect.stringMatching(/lasts 86,400 seconds, above this console's limit of 3,600 seconds/),
    });
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    await createTokenFromTemplate(SID, 'hasura', 600);
    expect(JSON.parse(stub.requests.find((r) => r.method === 'POST')!.body)).toEqual({
      expires_in_seconds: 600,
    });
  });

  it('explains a 404 from the token endpoint as an inactive or missing session, and never retries it', async () => {
    stub.handle(
      routes({
        'GET /v1/jwt_templates': templatesRoute,
        [`POST /v1/sessions/${SID}/tokens/hasura`]: notFound(),
      }),
    );
    expect(await rejection(createTokenFromTemplate(SID, 'hasura'))).toMatchObject({
      kind: 'not_found',
      userMessage: MESSAGES.tokenSessionInactive,
    });
    expect(stub.requests.filter((r) => r.method === 'POST')).toHaveLength(1);
  });

  it('reports a token request that timed out as an unknown outcome', async () => {
    stub.handle(
      routes({
        'GET /v1/jwt_templates': templatesRoute,
        [`POST /v1/sessions/${SID}/tokens/hasura`]: {
          delayMs: TIMEOUT_MS + 5000,
          json: { object: 'token', jwt: 'a.b.c' },
        },
      }),
    );
    withShortDeadline();
    expect(await rejection(createTokenFromTemplate(SID, 'hasura'))).toMatchObject({
      kind: 'unavailable',
      outcomeUnknown: true,
    });
  });
});

describe('findUsers', () => {
  const usersRoutes = (emailMatches: number) =>
    routes({
      'GET /v1/users': (req) => ({
        json: req.query.has('email_address') && emailMatches === 0 ? [] : [userJson()],
      }),
      'GET /v1/users/count': (req) => ({
        json: { object: 'total_count', total_count: req.query.has('email_address') ? emailMatches : 1 },
      }),
      [`GET /v1/users/${UID}`]: { json: userJson() },
      [`GET /v1/sessions/${SID}`]: { json: sessionJson() },
    });

  it('looks an email up exactly first', async () => {
    stub.handle(usersRoutes(1));
    const res = await findUsers('Grace@Example.com', { limit: 10, offset: 0 });
    expect(res.totalCount).toBe(1);
    expect(res.data[0]?.primaryEmail).toBe('grace@example.com');
    expect(stub.requests.every((r) => r.query.getAll('email_address').join() === 'grace@example.com')).toBe(
      true,
    );
  });

  it('falls back to the partial query when the exact email matches nobody', async () => {
    stub.handle(usersRoutes(0));
    await findUsers('grace@example.com', { limit: 10, offset: 0 });
    expect(stub.requests.filter((r) => r.query.get('query') === 'grace@example.com')).toHaveLength(2);
  });

  it('opens a user id directly and a session id through its user; unknown ids give an empty page', async () => {
    stub.handle(usersRoutes(1));
    expect((await findUsers(UID, { limit: 10, offset: 0 })).data.map((u) => u.id)).toEqual([UID]);
    expect((await findUsers(SID, { limit: 10, offset: 0 })).data.map((u) => u.id)).toEqual([UID]);
    expect(await findUsers('user_unknown1', { limit: 10, offset: 0 })).toEqual({ data: [], totalCount: 0 });
  });

  it('sends free text as `query`', async () => {
    stub.handle(usersRoutes(1));
    await findUsers('Grace H', { limit: 5, offset: 5 });
    const list = stub.requests.find((r) => r.path === '/v1/users')!;
    expect(Object.fromEntries(list.query)).toEqual({ query: 'Grace H', limit: '5', offset: '5' });
  });
});

describe('verifyTokenAgainstJwks', () => {
  let jwks: { keys: unknown[] };
  let sign: (claims: Record<string, unknown>, opts?: { kid?: string; exp?: number }) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'ins_stub1', alg: 'RS256', use: 'sig' }] };
    sign = (claims, opts = {}) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'ins_stub1', typ: 'JWT' })
        .setIssuedAt()
        .setExpirationTime(opts.exp ?? Math.floor(Date.now() / 1000) + 60)
        .sign(privateKey);
  });

  it('verifies a token signed by the instance key, caching the key set', async () => {
    stub.handle(routes({ 'GET /v1/jwks': { json: jwks } }));
    const token = await sign({ sub: UID, role: 'support' });
    const first = await verifyTokenAgainstJwks(token);
    expect(first).toMatchObject({
      valid: true,
      error: null,
      header: { alg: 'RS256', kid: 'ins_stub1' },
      claims: { sub: UID, role: 'support' },
    });
    expect((await verifyTokenAgainstJwks(token)).valid).toBe(true);
    expect(stub.requests.filter((r) => r.path === '/v1/jwks')).toHaveLength(1);
    expect(stub.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`);
  });

  it('rejects a tampered, an expired and an HS256 token with fixed messages', async () => {
    stub.handle(routes({ 'GET /v1/jwks': { json: jwks } }));
    const good = await sign({ sub: UID });
    const [h, , s] = good.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'user_other' })).toString('base64url')}.${s}`;
    expect(await verifyTokenAgainstJwks(forged)).toMatchObject({
      valid: false,
      error: "The signature does not match the instance's public keys.",
      claims: { sub: 'user_other' },
    });
    const expired = await sign({ sub: UID }, { exp: Math.floor(Date.now() / 1000) - 120 });
    expect(await verifyTokenAgainstJwks(expired)).toMatchObject({
      valid: false,
      error: 'The token has expired.',
    });
    const hs = await new SignJWT({ sub: UID })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('x'.repeat(32)));
    expect((await verifyTokenAgainstJwks(hs)).error).toMatch(/custom signing key/);
  });

  it('refetches the key set once for an unknown kid', async () => {
    stub.handle(routes({ 'GET /v1/jwks': { json: jwks } }));
    const token = await sign({ sub: UID }, { kid: 'ins_rotated' });
    expect(await verifyTokenAgainstJwks(token)).toMatchObject({
      valid: false,
      error: "No public key of the instance matches the token's key id (kid).",
    });
    expect(stub.requests.filter((r) => r.path === '/v1/jwks')).toHaveLength(2);
  });

  it('never throws: not a JWT, or keys unavailable', async () => {
    expect(await verifyTokenAgainstJwks('not a jwt')).toEqual({
      valid: false,
      header: {},
      claims: {},
      error: 'Not a JWT.',
    });
    expect(await verifyTokenAgainstJwks(`eyJ${'a'.repeat(20_000)}.b.c`)).toMatchObject({
      valid: false,
      error: 'Not a JWT.',
    });
    stub.handle(routes({ 'GET /v1/jwks': { status: 500, contentType: 'text/html', text: '<h1>down</h1>' } }));
    const res = await verifyTokenAgainstJwks(await sign({ sub: UID }));
    expect(res).toMatchObject({
      valid: false,
      error: "The instance's public keys could not be loaded, so the signature was not checked.",
      claims: { sub: UID },
    });
  });
});
