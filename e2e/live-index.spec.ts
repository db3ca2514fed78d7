import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import type { SessionJson } from '../lib/local-clerk/types';
import { userInBand } from './security-helpers';
import { api, E2E_DATA_DIR, storageStateFor } from './support';

/**
 * Live: a sign-in in the embedded API reaches the console through its own webhook, lands in the session index and
 * is judged there, with no scan and no reload of Clerk. Users from the band [120, 130) of the seed, no other spec's.
 */

const net = 1 + Math.floor(Math.random() * 250);

async function signInFrom(userId: string, at: { city: string; country: string; ip: string }) {
  const { status, body } = await api('/__faults/sign-in', {
    method: 'POST',
    body: JSON.stringify({
      user_id: userId,
      city: at.city,
      country: at.country,
      ip_address: at.ip,
      device_type: 'Macintosh',
      browser_name: 'Chrome',
      browser_version: '131.0.0.0',
    }),
  });
  expect(status, 'the embedded API takes the sign-in').toBe(200);
  return (body as SessionJson).id;
}

function indexed(sessionId: string): boolean {
  const db = new SqliteDatabase(path.join(E2E_DATA_DIR, 'console.sqlite'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    return db.prepare('SELECT 1 FROM session_index WHERE session_id = ?').get(sessionId) !== undefined;
  } finally {
    db.close();
  }
}

test.describe('the live session index', () => {
  test.use({ storageState: storageStateFor('support') });

  test('a sign-in from a new country shows in search and on the watchlist within seconds', async ({
    page,
  }) => {
    const { userId } = await userInBand(120, 125, 0);
    await signInFrom(userId, { city: 'Paris', country: 'FR', ip: `192.0.2.${net}` });
    const away = await signInFrom(userId, { city: 'Tokyo', country: 'JP', ip: `203.0.113.${net}` });

    await expect.poll(() => indexed(away), { timeout: 5_000 }).toBe(true);
    await page.goto(`/sessions/search?country=jp&within=1h`);
    await expect(page.locator(`a[href="/sessions/${away}"]`)).toBeVisible();

    const entry = page.getByTestId('watchlist-entry').filter({
      has: page.locator(`a[href^="/sessions?user_id=${userId}"]`),
    });
    await expect(async () => {
      await page.goto('/');
      await expect(entry).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 5_000 });
    await expect(entry).toContainText('Impossible travel');
    await expect(entry).toContainText(/Tokyo, Japan/);
  });

  test('an open sessions list announces a session created after it loaded', async ({ page }) => {
    const { userId } = await userInBand(125, 130, 1);
    // Loaded with its list (a busy machine can time the first read out; that is not what this test is about).
    await expect(async () => {
      await page.goto(`/sessions?user_id=${userId}`);
      await expect(page.getByRole('link', { name: /^Timeline of this user/ })).toBeVisible({
        timeout: 3_000,
      });
      await expect(page.locator('tbody tr[data-session-id]').first()).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 20_000 });
    const notice = page.getByTestId('new-sessions');
    await expect(notice).toHaveCount(0);

    const fresh = await signInFrom(userId, { city: 'Lyon', country: 'FR', ip: `198.51.100.${net}` });
    await expect.poll(() => indexed(fresh), { timeout: 5_000 }).toBe(true);
    // The list polls the index every 10 s (a faked page clock also fires the time-outs of the page's own reads).
    await expect(notice).toContainText('1 new session', { timeout: 15_000 });
    await notice.getByRole('button', { name: 'show' }).click();
    await expect(page.locator(`tbody tr[data-session-id="${fresh}"]`)).toBeVisible();
  });
});
