import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CLERK_DB_FILE } from './server';
import { startTestServer, tempDataDir, type TestServer } from '@/lib/testing/local-clerk-server';

/** One request written byte for byte, as a rebinding page or a script would send it (no client fixes the Host). */
function rawRequest(port: number, head: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const [top = '', body = ''] = data.split('\r\n\r\n');
      resolve({ status: Number(top.split(' ')[1]), body });
    });
    socket.write(`${head}\r\nConnection: close\r\n\r\n`);
  });
}

describe('the embedded API answers only loopback names (DNS rebinding)', () => {
  let api: TestServer;
  let port: number;
  beforeAll(async () => {
    api = await startTestServer();
    port = Number(new URL(api.url).port);
  });
  afterAll(() => api.close());

  const get = (host: string | null, route = '/v1/jwks') =>
    rawRequest(
      port,
      [
        `GET ${route} HTTP/1.1`,
        ...(host === null ? [] : [`Host: ${host}`]),
        `Authorization: Bearer ${api.secretKey}`,
      ].join('\r\n'),
    );

  it.each([
    'evil.example',
    'evil.example:PORT',
    'localhost.evil.example:PORT',
    '127.0.0.1.nip.io:PORT',
    '127.0.0.1:1',
    'localhost:PORT0',
    '[::2]:PORT',
    '0.0.0.0:PORT',
  ])('Host %s gets a 421 in Clerk’s error envelope, and no key', async (host) => {
    const r = await get(host.replace('PORT', String(port)));
    expect(r.status).toBe(421);
    const body = JSON.parse(r.body);
    expect(body.errors).toEqual([
      {
        code: 'host_invalid',
        message: 'Invalid host',
        long_message: 'This API answers only requests addressed to 127.0.0.1, localhost or [::1].',
      },
    ]);
    expect(body.clerk_trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(r.body).not.toContain('"kty"');
  });

  it('refuses a request with no Host at all, and an authenticated write with a forged one', async () => {
    expect((await rawRequest(port, 'GET /v1/jwks HTTP/1.0')).status).toBe(421);
    const revoke = await rawRequest(
      port,
      [
        `POST /v1/sessions/sess_${'a'.repeat(27)}/revoke HTTP/1.1`,
        'Host: rebind.evil.example',
        `Authorization: Bearer ${api.secretKey}`,
        'Content-Length: 0',
      ].join('\r\n'),
    );
    expect(revoke.status).toBe(421);
  });

  it.each(['127.0.0.1:PORT', '127.0.0.1', 'localhost:PORT', 'LocalHost', '[::1]:PORT', '[::1]'])(
    'Host %s is answered',
    async (host) => {
      const r = await get(host.replace('PORT', String(port)));
      expect(r.status).toBe(200);
      expect(JSON.parse(r.body).keys[0].kty).toBe('RSA');
    },
  );
});

describe('the embedded API’s data files are private whatever the umask', () => {
  it('creates the directory 0700 and the SQLite file (which holds the signing key) and its WAL files 0600', async () => {
    const parent = tempDataDir();
    const dataDir = path.join(parent, 'nested', 'data');
    const previous = process.umask(0o000);
    let api: TestServer | undefined;
    try {
      api = await startTestServer({ dataDir });
      // A write, so the WAL and shared-memory files exist too.
      expect((await api.call('/v1/jwks')).status).toBe(200);
      const mode = (p: string) => fs.statSync(p).mode & 0o777;
      expect(mode(dataDir)).toBe(0o700);
      expect(mode(path.dirname(dataDir))).toBe(0o700);
      const files = fs.readdirSync(dataDir);
      expect(files).toEqual(expect.arrayContaining([LOCAL_CLERK_DB_FILE, `${LOCAL_CLERK_DB_FILE}-wal`]));
      for (const f of files) expect([f, mode(path.join(dataDir, f))]).toEqual([f, 0o600]);
    } finally {
      process.umask(previous);
      await api?.close();
      fs.rmSync(parent, { recursive: true, force: true });
    }
  });

  it('tightens a store file an earlier version left world-readable', async () => {
    const dataDir = tempDataDir();
    const file = path.join(dataDir, LOCAL_CLERK_DB_FILE);
    fs.writeFileSync(file, '');
    fs.chmodSync(file, 0o644);
    const api = await startTestServer({ dataDir });
    try {
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      await api.close();
    }
  });
});
