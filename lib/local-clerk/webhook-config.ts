// Local mode's webhook wiring, shared by `npm start` and `npm run local-clerk`: the secret, the endpoints and
// whether simulated users sign in. Reads only the variables it is given.
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir } from './private-files';
import { isWebhookSecret, newWebhookSecret } from './webhook-sign';

export const WEBHOOK_SECRET_FILE = 'webhook-secret';
export const WEBHOOK_PATH = '/api/webhooks/clerk';

/** CLERK_WEBHOOK_SIGNING_SECRET, else the data dir's own (made once, 0600; `wx` lets two starts agree). */
export function localWebhookSecret(dataDir: string, given: string | undefined): string {
  if (given) {
    if (!isWebhookSecret(given)) throw new Error('CLERK_WEBHOOK_SIGNING_SECRET must be a whsec_… secret');
    return given;
  }
  ensurePrivateDir(dataDir);
  const file = path.join(dataDir, WEBHOOK_SECRET_FILE);
  try {
    fs.writeFileSync(file, `${newWebhookSecret()}\n`, { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  if (!fs.lstatSync(file).isFile()) throw new Error(`${file} is not a regular file`);
  const stored = fs.readFileSync(file, 'utf8').trim();
  if (!isWebhookSecret(stored)) throw new Error(`${file} does not hold a whsec_… secret`);
  return stored;
}

/** LOCAL_CLERK_WEBHOOK_URL: comma-separated URLs, `off` for none; by default the console's own receiver. */
export function localWebhookEndpoints(value: string | undefined, consoleUrl: string | null): string[] {
  if (value === 'off') return [];
  if (!value) return consoleUrl ? [new URL(WEBHOOK_PATH, consoleUrl).toString()] : [];
  return value.split(',').map((u) => {
    const url = new URL(u.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new Error('LOCAL_CLERK_WEBHOOK_URL must be http(s) URLs');
    return url.toString();
  });
}

/** LOCAL_CLERK_LIVE_TRAFFIC=on|off; by default on for `npm start` only, so tests and scripts stay quiet. */
export function liveTrafficOn(value: string | undefined, lifecycleEvent: string | undefined): boolean {
  if (value === 'on') return true;
  if (value === 'off') return false;
  if (value) throw new Error('LOCAL_CLERK_LIVE_TRAFFIC must be on or off');
  return lifecycleEvent === 'start';
}
