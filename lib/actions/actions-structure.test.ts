import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(p));
    else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name)) out.push(p);
  }
  return out;
}

const serverActionModules = ['app', 'lib', 'components']
  .flatMap((d) => sourceFiles(path.join(root, d)))
  .filter((f) => /^\s*['"]use server['"]/.test(fs.readFileSync(f, 'utf8')));

describe('server actions', () => {
  it('exist (this test would pass vacuously otherwise)', () => {
    expect(serverActionModules.length).toBeGreaterThanOrEqual(3);
  });

  it.each(serverActionModules.map((f) => [path.relative(root, f), f]))(
    '%s exports only staffAction-built actions',
    (_rel, file) => {
      const src = fs.readFileSync(file, 'utf8');
      // Every export must be `export const xAction = staffAction(`; nothing else may be exported from a 'use server'
      // module, since every export is callable from any browser.
      const exports = [...src.matchAll(/^export\s+(?:async\s+)?(\w+)\s+(\w+)?/gm)].map((m) => m[0]);
      expect(exports.length).toBeGreaterThan(0);
      const wrapped = [...src.matchAll(/^export const (\w+) = staffAction\(/gm)].map((m) => m[1]);
      const all = [
        ...src.matchAll(/^export\s+(?:async\s+function|function|const|let|var|class|default|\{)\s*(\w*)/gm),
      ].map((m) => m[1]);
      expect(all).toEqual(wrapped);
      expect(src).not.toMatch(/^export\s*\{/m);
      expect(src).not.toMatch(/^export\s+\*/m);
    },
  );

  it("only signing in is 'public'", () => {
    for (const file of serverActionModules) {
      const src = fs.readFileSync(file, 'utf8');
      const publicOnes = [...src.matchAll(/name: '([\w.]+)', access: 'public'/g)].map((m) => m[1]);
      for (const name of publicOnes) expect(['auth.sign_in', 'auth.sign_in_sso']).toContain(name);
    }
  });
});

const routeModules = sourceFiles(path.join(root, 'app', 'api')).filter(
  (f) => path.basename(f) === 'route.ts',
);

describe('route handlers', () => {
  // Public by design, or a POST that reads its own body (the incident list: a size limit and a stream).
  const OWN_CHECKS: Record<string, RegExp> = {
    'app/api/auth/[...nextauth]/route.ts': /handlers/,
    'app/api/health/route.ts': /GET/,
    'app/api/jobs/incident/route.ts': /await requireStaff\('jobs:incident'/,
    // Public by design: Clerk signs what it posts (verified before anything is read), and a JWKS is public.
    'app/api/webhooks/clerk/route.ts': /receiveClerkWebhook\(request/,
    'app/api/ssf/jwks/route.ts': /export async function GET/,
  };

  it('exist (this test would pass vacuously otherwise)', () => {
    expect(routeModules.map((f) => path.relative(root, f))).toEqual(
      expect.arrayContaining([
        'app/api/sessions/route.ts',
        'app/api/jobs/route.ts',
        'app/api/jobs/[jobId]/route.ts',
        'app/api/jobs/[jobId]/export/route.ts',
        'app/api/audit/export/route.ts',
      ]),
    );
  });

  it.each(routeModules.map((f) => [path.relative(root, f), f]))(
    '%s checks the staff member (staffRoute) or is a known exception',
    (rel, file) => {
      const src = fs.readFileSync(file, 'utf8');
      const own = OWN_CHECKS[rel];
      if (own) {
        expect(src).toMatch(own);
        return;
      }
      const handlers = [
        ...src.matchAll(/^export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/gm),
      ];
      expect(handlers.length).toBeGreaterThan(0);
      for (const [, method] of handlers)
        expect(src).toMatch(new RegExp(`^export const ${method} = staffRoute\\(`, 'm'));
      // The name denials are audited under is the route's own path.
      const route = `/${path.dirname(rel).replace(/^app\//, '')}`;
      expect(src).toContain(`name: '${route}'`);
    },
  );

  it('export routes refuse other sites before the role check', () => {
    for (const rel of ['app/api/jobs/[jobId]/export/route.ts', 'app/api/audit/export/route.ts'])
      expect(fs.readFileSync(path.join(root, rel), 'utf8')).toMatch(/refuseCrossSite: true/);
  });
});
