import 'server-only';
// Test helper: a scripted stand-in for the Clerk Backend API, so unit tests drive the real @clerk/backend client
// (its request builder, error class and deserializers) while choosing every status, header, body and failure.
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface StubRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export type StubReply =
  | {
      status?: number;
      json?: unknown;
      text?: string;
      contentType?: string;
      headers?: Record<string, string>;
      delayMs?: number;
    }
  | { reset: true };

export type StubHandler = (req: StubRequest) => StubReply | Promise<StubReply>;

export interface StubBapi {
  url: string;
  requests: StubRequest[];
  /** Replaces the handler used for the next requests. */
  handle(handler: StubHandler): void;
  close(): Promise<void>;
}

export function clerkErrorBody(
  code: string,
  message: string,
  longMessage: string,
  traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
) {
  return {
    errors: [{ code, message, long_message: longMessage, meta: {} }],
    meta: {},
    clerk_trace_id: traceId,
  };
}

export async function startStubBapi(
  initial: StubHandler = () => ({
    status: 404,
    json: clerkErrorBody('resource_not_found', 'not found', 'Resource not found'),
  }),
): Promise<StubBapi> {
  let handler = initial;
  const requests: StubRequest[] = [];
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://stub');
      const record: StubRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(record);
      void Promise.resolve(handler(record)).then(async (reply) => {
        if ('reset' in reply) {
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        if (res.destroyed) return;
        const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
        res.writeHead(reply.status ?? 200, {
          'Content-Type': reply.contentType ?? 'application/json',
          ...reply.headers,
        });
        res.end(body);
      });
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle(next) {
      handler = next;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const BASE_TIME = 1_760_000_000_000;

export function sessionJson(overrides: Record<string, unknown> = {}) {
  return {
    object: 'session',
    id: 'sess_2abcStubSession0001',
    user_id: 'user_2abcStubUser0001',
    client_id: 'client_2abcStubClient0001',
    status: 'active',
    last_active_organization_id: null,
    actor: null,
    last_active_at: BASE_TIME + 5_000,
    latest_activity: {
      object: 'session_activity',
      id: 'sess_activity_2abcStub0001',
      is_mobile: false,
      device_type: 'Macintosh',
      browser_name: 'Firefox',
      browser_version: '140.0',
      ip_address: '203.0.113.7',
      city: 'Lisbon',
      country: 'PT',
    },
    expire_at: BASE_TIME + 7 * 86_400_000,
    abandon_at: BASE_TIME + 30 * 86_400_000,
    updated_at: BASE_TIME + 5_000,
    created_at: BASE_TIME,
    tasks: null,
    ...overrides,
  };
}

export function userJson(overrides: Record<string, unknown> = {}) {
  return {
    object: 'user',
    id: 'user_2abcStubUser0001',
    username: 'grace',
    first_name: 'Grace',
    last_name: 'Hopper',
    image_url: 'https://img.clerk.com/stub-grace',
    has_image: true,
    primary_email_address_id: 'idn_email_primary',
    primary_phone_number_id: 'idn_phone_primary',
    primary_web3_wallet_id: null,
    password_enabled: true,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    email_addresses: [
      {
        object: 'email_address',
        id: 'idn_email_other',
        email_address: 'old@example.com',
        verification: null,
        linked_to: [],
        reserved: false,
        created_at: BASE_TIME,
        updated_at: BASE_TIME,
      },
      {
        object: 'email_address',
        id: 'idn_email_primary',
        email_address: 'grace@example.com',
        verification: null,
        linked_to: [],
        reserved: false,
        created_at: BASE_TIME,
        updated_at: BASE_TIME,
      },
    ],
    phone_numbers: [
      {
        object: 'phone_number',
        id: 'idn_phone_primary',
        phone_number: '+15550100',
        reserved_for_second_factor: false,
        default_second_factor: false,
        verification: null,
        linked_to: [],
        backup_codes: null,
        reserved: false,
        created_at: BASE_TIME,
        updated_at: BASE_TIME,
      },
    ],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    public_metadata: { plan: 'pro' },
    private_metadata: { internalNote: 'PRIVATE-CANARY-7731' },
    unsafe_metadata: { theme: 'UNSAFE-CANARY-4410' },
    external_id: 'EXTERNAL-CANARY-2291',
    last_sign_in_at: BASE_TIME + 1_000,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: 100,
    created_at: BASE_TIME - 86_400_000,
    updated_at: BASE_TIME,
    delete_self_enabled: true,
    create_organization_enabled: true,
    last_active_at: BASE_TIME + 5_000,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    legal_accepted_at: null,
    ...overrides,
  };
}
