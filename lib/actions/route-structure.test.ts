import fs from 'node:fs';
import os from 'node:os';
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

/** The file nearest to `dir` on its way up to the console's root (the root's own not counted), or null. */
function nearest(dir: string, file: string, root = consoleDir): string | null {
  for (let d = dir; d.startsWith(root) && d !== root; d = path.dirname(d))
    if (fs.existsSync(path.join(d, file))) return d;
  return null;
}

const readsId = (rel: string) => /^\[.+\]$/.test(path.basename(rel));

/** Each page of a console tree and the views it lacks in its section. */
function missingViews(root: string): string[] {
  return pageDirs(root).flatMap((dir) => {
    const rel = path.relative(root, dir);
    return [
      ...['loading.tsx', 'error.tsx'].filter((f) => !nearest(dir, f, root)),
      ...(readsId(rel) && !fs.existsSync(path.join(dir, 'not-found.tsx')) ? ['not-found.tsx'] : []),
    ].map((f) => `${rel}: ${f}`);
  });
}

const pages = pageDirs(consoleDir).map((d) => path.relative(consoleDir, d));
const withIds = pages.filter(readsId);

describe('console pages', () => {
  it('are found (this test would pass vacuously otherwise)', () => {
    expect(pages).toEqual(
      expect.arrayContaining(['audit', 'jobs/(list)', 'jobs/new', 'sessions', 'staff', 'users']),
    );
    expect(withIds.length).toBeGreaterThanOrEqual(2);
  });

  it('a new section without its views is caught, whatever the console root holds', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'console-tree-'));
    const touch = (rel: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), '');
    };
    try {
      ['loading.tsx', 'error.tsx', 'not-found.tsx', 'page.tsx'].forEach(touch);
      ['users/page.tsx', 'users/loading.tsx', 'users/error.tsx'].forEach(touch);
      ['approvals/page.tsx', 'approvals/error.tsx', 'approvals/[approvalId]/page.tsx'].forEach(touch);
      expect(missingViews(root).sort()).toEqual([
        'approvals/[approvalId]: loading.tsx',
        'approvals/[approvalId]: not-found.tsx',
        'approvals: loading.tsx',
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('each page has a loading and an error view of its section, and a page reading an id a not-found view', () => {
    expect(missingViews(consoleDir)).toEqual([]);
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
