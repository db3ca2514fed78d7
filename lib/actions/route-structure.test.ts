import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const consoleDir = path.resolve(import.meta.dirname, '../../app/(console)');

function pageDirs(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('_')) continue;
    const p = path.join(dir, entry.name);
    if (fs.existsSync(path.join(p, 'page.tsx'))) out.push(p);
    out.push(...pageDirs(p));
  }
  return out;
}

/** The file nearest to `dir` on its way up to the console's root, or null. */
function nearest(dir: string, file: string): string | null {
  for (let d = dir; d.startsWith(consoleDir) && d !== consoleDir; d = path.dirname(d))
    if (fs.existsSync(path.join(d, file))) return d;
  return null;
}

const pages = pageDirs(consoleDir).map((d) => path.relative(consoleDir, d));
const withIds = pages.filter((d) => /^\[.+\]$/.test(path.basename(d)));

describe('console pages', () => {
  it('are found (this test would pass vacuously otherwise)', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['audit', 'jobs/(list)', 'jobs/new', 'sessions', 'staff', 'users']),
    );
    expect(withIds.length).toBeGreaterThanOrEqual(2);
  });

  it.each(pages)('%s has a loading and an error view of its section', (rel) => {
    expect(nearest(path.join(consoleDir, rel), 'loading.tsx')).not.toBeNull();
    expect(nearest(path.join(consoleDir, rel), 'error.tsx')).not.toBeNull();
  });

  it.each(withIds)('%s, which reads an id, has a not-found view', (rel) => {
    expect(fs.existsSync(path.join(consoleDir, rel, 'not-found.tsx'))).toBe(true);
  });

  // A role check thrown under a loading view arrives after the 200 has streamed: a page that needs more than
  // reading checks in a layout above its loading view, as /audit and /jobs/new do.
  it.each(pages)('%s checks a higher role above its loading view', (rel) => {
    const page = fs.readFileSync(path.join(consoleDir, rel, 'page.tsx'), 'utf8');
    const needs =
      /requireStaffPage\('(?!sessions:read|users:read)/.test(page) ||
      /await require(?!StaffPage)\w+\(/.test(page);
    if (!needs) return;
    const loading = nearest(path.join(consoleDir, rel), 'loading.tsx')!;
    const layout = nearest(path.join(consoleDir, rel), 'layout.tsx');
    expect(layout, 'a layout that checks the role').not.toBeNull();
    expect(
      path.relative(layout!, loading).startsWith('..'),
      'the layout sits at or above the loading view',
    ).toBe(false);
  });
});
