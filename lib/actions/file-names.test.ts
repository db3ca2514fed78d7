import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const roots = ['app', 'components', 'lib', 'scripts', 'e2e'];

const kebab = /^[a-z0-9]+(-[a-z0-9]+)*$/;
// Next's route segments: [param], [...catchAll], (group), _private.
const nextSegment = /^(\[(\.\.\.)?[a-zA-Z]+\]|\([a-z0-9-]+\)|_[a-z0-9]+(-[a-z0-9]+)*)$/;
// A kebab-case stem, then at most a few role suffixes the tools look for (auth.config: Auth.js's edge-safe half).
const fileName =
  /^[a-z0-9]+(-[a-z0-9]+)*(\.(integration|fixture|config|setup|d))?(\.(test|spec))?\.(ts|tsx|mjs|sh|css|ico)$/;
// Migration file names are the keys recorded in every database's migration table: they keep their snake case.
const migration = /^\d{4}_[a-z0-9]+(_[a-z0-9]+)*\.ts$/;

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue; // generated, git-ignored (e2e/.auth)
    const p = path.join(dir, entry.name);
    out.push(path.relative(root, p) + (entry.isDirectory() ? '/' : ''));
    if (entry.isDirectory()) out.push(...walk(p));
  }
  return out;
}

/** `rel` ends in / for a folder. */
function allowed(rel: string): boolean {
  const name = path.basename(rel);
  if (rel.endsWith('/')) return kebab.test(name) || nextSegment.test(name);
  if (path.dirname(rel) === path.join('lib', 'db', 'migrations') && migration.test(name)) return true;
  if (name === 'README.md') return true;
  return fileName.test(name);
}

const entries = roots.flatMap((r) => walk(path.join(root, r)));

describe('file and folder names', () => {
  it('are found (this test would pass vacuously otherwise)', () => {
    expect(entries).toEqual(
      expect.arrayContaining([
        'app/(console)/sessions/[sessionId]/page.tsx',
        'lib/db/migrations/0001_staff.ts',
        'components/ui/README.md',
      ]),
    );
  });

  it('are kebab-case under app/, components/, lib/, scripts/ and e2e/', () => {
    expect(entries.filter((rel) => !allowed(rel))).toEqual([]);
  });

  it.each([
    'lib/sessionStore.ts',
    'lib/session_store.ts',
    'components/SessionTable.tsx',
    'lib/db/0012_new_table.ts',
    'lib/db/migrations/0012_NewTable.ts',
    'scripts/Bench/',
    'app/(console)/Sessions/',
    'app/api/jobs/[job_id]/',
    'lib/auth/auth.Config.ts',
  ])('refuses %s', (rel) => {
    expect(allowed(rel)).toBe(false);
  });
});
