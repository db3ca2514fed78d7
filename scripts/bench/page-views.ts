/**
 * What one page view costs the console in a real browser: the requests it sends to the console (documents, RSC,
 * route handlers, prefetches; not static files) until the network is idle, and the server CPU the console
 * process spent meanwhile (Linux: /proc/<pid>/stat). `npm run load` fetches HTML only and never runs the page's
 * JavaScript, so it cannot see what the page asks for once it is running.
 */
import { chromium } from '@playwright/test';
import { SESSION_COOKIE, type CookieJar } from './console-http';
import { median } from './stats';
import { cpuMs } from './process-cpu';

export interface PageViewCost {
  label: string;
  views: number;
  requestsMedian: number;
  serverCpuMedianMs: number;
}

export async function measurePageViews(o: {
  base: string;
  jar: CookieJar;
  consolePid: number;
  chromePath: string;
  pages: { label: string; path: string }[];
  views: number;
}): Promise<PageViewCost[]> {
  const browser = await chromium.launch({ executablePath: o.chromePath, args: ['--no-sandbox'] });
  try {
    const context = await browser.newContext();
    await context.addCookies([{ name: SESSION_COOKIE, value: o.jar.token()!, url: o.base }]);
    const page = await context.newPage();
    let requests = 0;
    page.on('request', (r) => {
      if (r.url().startsWith(o.base) && !new URL(r.url()).pathname.startsWith('/_next/static/')) requests++;
    });
    const out: PageViewCost[] = [];
    for (const p of o.pages) {
      const counts: number[] = [];
      const cpu: number[] = [];
      // One view first to warm the browser's cache of static files and the server's code paths.
      for (let i = 0; i <= o.views; i++) {
        await page.goto('about:blank');
        requests = 0;
        const before = cpuMs(o.consolePid) ?? Number.NaN;
        await page.goto(`${o.base}${p.path}`, { waitUntil: 'networkidle' });
        if (i === 0) continue;
        counts.push(requests);
        cpu.push((cpuMs(o.consolePid) ?? Number.NaN) - before);
      }
      out.push({
        label: p.label,
        views: o.views,
        requestsMedian: median(counts),
        serverCpuMedianMs: median(cpu),
      });
    }
    return out;
  } finally {
    await browser.close();
  }
}
