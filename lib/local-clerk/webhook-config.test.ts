import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { liveTrafficOn, localWebhookEndpoints, localWebhookSecret } from './webhook-config';
import { isWebhookSecret } from './webhook-sign';

describe('local webhook wiring', () => {
  it('makes one private whsec_ secret per data dir and keeps it across starts; a given one wins', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'webhook-config-'));
    try {
      const first = localWebhookSecret(dir, undefined);
      expect(isWebhookSecret(first)).toBe(true);
      expect(localWebhookSecret(dir, undefined)).toBe(first);
      expect(fs.statSync(path.join(dir, 'webhook-secret')).mode & 0o777).toBe(0o600);
      const given = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
      expect(localWebhookSecret(dir, given)).toBe(given);
      expect(() => localWebhookSecret(dir, 'not-a-secret')).toThrow(/whsec_/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends to the console by default, to the listed URLs when given, nowhere when off', () => {
    expect(localWebhookEndpoints(undefined, 'http://127.0.0.1:3000')).toEqual([
      'http://127.0.0.1:3000/api/webhooks/clerk',
    ]);
    expect(localWebhookEndpoints('http://a.test/x, https://b.test/y', null)).toEqual([
      'http://a.test/x',
      'https://b.test/y',
    ]);
    expect(localWebhookEndpoints('off', 'http://127.0.0.1:3000')).toEqual([]);
    expect(() => localWebhookEndpoints('ftp://a.test/', null)).toThrow();
  });

  it('simulates users for npm start only, unless told', () => {
    expect(liveTrafficOn(undefined, 'start')).toBe(true);
    expect(liveTrafficOn(undefined, undefined)).toBe(false);
    expect(liveTrafficOn('off', 'start')).toBe(false);
    expect(liveTrafficOn('on', undefined)).toBe(true);
    expect(() => liveTrafficOn('yes', undefined)).toThrow();
  });
});
