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

const sections = fs
  .readdirSync(consoleDir, { withFileTypes: true })
  .filter((e) => e.isDirectory() && !e.name.startsWith('_') && !e.name.startsWith('('))
  .map((e) => e.name);
const withIds = pageDirs(consoleDir).filter((d) => /^\[.+\]$/.test(path.basename(d)));

describe('console sections', () => {
  it('are found (this test would pass vacuously otherwise)', () => {
    expect(sections).toEqual(expect.arrayContaining(['audit', 'jobs', 'sessions', 'staff', 'users']));
    expect(withIds.length).toBeGreaterThanOrEqual(2);
  });

  it.each(sections)('%s has a loading and an error view', (section) => {
    const files = fs.readdirSync(path.join(consoleDir, section));
    expect(files).toEqual(expect.arrayContaining(['loading.tsx', 'error.tsx']));
  });

  it.each(withIds.map((d) => path.relative(consoleDir, d)))(
    '%s, which reads an id, has a not-found view',
    (rel) => {
      expect(fs.existsSync(path.join(consoleDir, rel, 'not-found.tsx'))).toBe(true);
    },
  );
});
