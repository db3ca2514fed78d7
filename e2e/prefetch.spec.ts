import { expect, test, type Page } from '@playwright/test';
import { storageStateFor, userByEmail } from './support';

/** Every router prefetch the page sends, as path + query without Next's cache-busting `_rsc`. */
function recordPrefetches(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => {
    if (!r.headers()['next-router-prefetch']) return;
    const url = new URL(r.url());
    url.searchParams.delete('_rsc');
    seen.push(`${url.pathname}${url.search}`);
  });
  return seen;
}

/**
 * The answer to the prefetch of the page `matches` picks, once its data is in. The first prefetch of a route is
 * two requests (the route's tree, marked `next-router-segment-prefetch: /_tree`, then its data); a route the
 * router already knows is one.
 */
async function prefetched(page: Page, matches: (url: URL) => boolean) {
  const request = await page.waitForRequest(
    (r) =>
      !!r.headers()['next-router-prefetch'] &&
      r.headers()['next-router-segment-prefetch'] !== '/_tree' &&
      matches(new URL(r.url())),
  );
  await request.response();
}

/** React has attached its event handlers to this element (hydration reached it). */
async function hydrated(page: Page, selector: string) {
  await page.waitForFunction((sel) => {
    const el = document.querySelector(sel);
    return !!el && Object.keys(el).some((k) => k.startsWith('__reactProps'));
  }, selector);
}

test.describe('links prefetch on intent, not on sight', () => {
  test.use({ storageState: storageStateFor('support') });

  test('a 25-row sessions list asks the server for no page it was not reached for', async ({ page }) => {
    const heavy = await userByEmail('heavy.user@example.com');
    const prefetches = recordPrefetches(page);
    // Everything else the page asks the console for (not its static files, not the favicon).
    const asked: string[] = [];
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.pathname.startsWith('/_next/static/') || url.pathname === '/favicon.ico') return;
      if (!r.headers()['next-router-prefetch']) asked.push(url.pathname);
    });
    await page.goto(`/sessions?user_id=${heavy.id}&limit=25`);
    const rows = page.locator('tbody tr[data-session-id]');
    await expect(rows).toHaveCount(25);
    const firstId = await rows.first().getAttribute('data-session-id');
    const sessionLink = `tbody a[href="/sessions/${firstId}"]`;
    await hydrated(page, sessionLink);
    // The rows (50 links), the status filters and the nav are all on screen and hydrated: nothing is fetched.
    await page.waitForLoadState('networkidle');
    expect(prefetches).toEqual([]);
    // The document is all: the header's running-jobs count came with it, the list's first poll is 15 s away.
    expect(asked).toEqual(['/sessions']);

    // Pointing at a link prefetches that one page, once, however often the pointer comes back.
    const isSession = (url: URL) => url.pathname === `/sessions/${firstId}`;
    const hovered = prefetched(page, isSession);
    await page.locator(sessionLink).hover();
    await hovered;
    const sessionRequests = prefetches.length;
    expect(new Set(prefetches)).toEqual(new Set([`/sessions/${firstId}`]));
    await page.mouse.move(0, 0);
    await page.locator(sessionLink).hover();

    // Keyboard focus is intent too. (Asked after the second hover, so a repeat of that would be in by now.)
    const allFilter = page
      .getByRole('navigation', { name: 'Filter by status' })
      .getByRole('link', { name: 'All' });
    const focused = prefetched(
      page,
      (url) => url.pathname === '/sessions' && url.searchParams.get('status') === 'all',
    );
    await allFilter.focus();
    await focused;
    expect(prefetches.filter((p) => p === `/sessions/${firstId}`)).toHaveLength(sessionRequests);
    const pages = [...new Set(prefetches)];
    expect(pages).toHaveLength(2);
    const filterPage = new URL(pages[1]!, 'http://console');
    expect(filterPage.pathname).toBe('/sessions');
    expect(filterPage.searchParams.get('user_id')).toBe(heavy.id);

    // Still a client-side navigation: the document survives the click.
    await page.evaluate(() => Object.assign(window, { __sameDocument: true }));
    await page.locator(sessionLink).click();
    await expect(page).toHaveURL(new RegExp(`/sessions/${firstId}$`));
    await expect(page.getByRole('heading', { level: 1 })).toContainText('Session');
    expect(await page.evaluate(() => (window as { __sameDocument?: boolean }).__sameDocument)).toBe(true);
  });
});
