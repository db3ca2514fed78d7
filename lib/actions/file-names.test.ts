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

const read = (rel: string) => fs.readFileSync(path.join(root, rel), 'utf8');
const fences = /```[\s\S]*?```/g;
// A path the docs name starts at one of these; a bare `actions.ts` or `next/link` names a kind of file or a package.
const repoPath = /^(app|components|lib|scripts|e2e|docs|\.ci)\/[^\s…]*$/;

const backticked = (text: string) =>
  [...text.replace(fences, '').matchAll(/`([^`\n]+)`/g)].map((m) => m[1]!).filter((t) => repoPath.test(t));

/** The README's folder map: a name line is indented by at most 8 spaces, its children by two more. */
function treePaths(block: string): string[] {
  const out: string[] = [];
  const parents: { indent: number; dir: string }[] = [];
  for (const line of block.split('\n')) {
    const indent = line.length - line.trimStart().length;
    if (!line.trim() || indent > 8) continue;
    const names = line
      .trim()
      .split(/\s{2,}/)[0]!
      .split(' ')
      .map((n) => n.replace(/,$/, ''));
    while (parents.length && parents.at(-1)!.indent >= indent) parents.pop();
    const parent = parents.at(-1)?.dir ?? '';
    out.push(...names.map((n) => parent + n));
    if (names[0]!.endsWith('/')) parents.push({ indent, dir: parent + names[0] });
  }
  return out;
}

function exists(rel: string): boolean {
  if (!rel.includes('*')) return fs.existsSync(path.join(root, rel));
  const glob = new RegExp(`^${rel.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return entries.some((e) => glob.test(e));
}

const layout = read('README.md').split('\n## Layout\n')[1]?.split('\n## ')[0] ?? '';
const named = [
  ...backticked(read('docs/house-style.md')),
  ...backticked(layout),
  ...treePaths(layout.split('```')[1] ?? ''),
];

describe('paths the docs name', () => {
  it("are found in docs/house-style.md and the README's layout (vacuous otherwise)", () => {
    expect(named).toEqual(
      expect.arrayContaining([
        'lib/actions/staff-action.ts',
        'lib/actions/file-names.test.ts',
        'app/(console)/',
      ]),
    );
  });

  it('all exist', () => {
    expect([...new Set(named)].filter((rel) => !exists(rel))).toEqual([]);
  });

  it('are read from the tree with their folders', () => {
    expect(
      treePaths('lib/\n  vocabulary/   words\n  env.ts, env/  config\napp/\n  (console)/\n    users/  find'),
    ).toEqual([
      'lib/',
      'lib/vocabulary/',
      'lib/env.ts',
      'lib/env/',
      'app/',
      'app/(console)/',
      'app/(console)/users/',
    ]);
  });
});
