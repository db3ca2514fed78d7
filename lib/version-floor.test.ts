import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The lowest versions with the security fixes this console relies on. A lockfile below any of them fails here.
const FLOOR: Record<string, string> = {
  next: '16.4.5',
  react: '19.3.1',
  'react-dom': '19.3.1',
  'next-auth': '5.0.0-beta.32',
  '@auth/core': '0.41.3',
  '@clerk/backend': '3.4.6',
};

const SEMVER = /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

/** Semantic-version precedence (semver.org §11): -1, 0 or 1. Build metadata is ignored. */
function compareSemver(a: string, b: string): number {
  const pa = SEMVER.exec(a);
  const pb = SEMVER.exec(b);
  if (!pa || !pb) throw new Error(`not a semantic version: ${pa ? b : a}`);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d) return Math.sign(d);
  }
  const [ra, rb] = [pa[4], pb[4]];
  if (ra === undefined || rb === undefined) return ra === rb ? 0 : ra === undefined ? 1 : -1;
  const xa = ra.split('.');
  const xb = rb.split('.');
  for (let i = 0; i < Math.max(xa.length, xb.length); i++) {
    const [ia, ib] = [xa[i], xb[i]];
    if (ia === undefined) return -1;
    if (ib === undefined) return 1;
    const [na, nb] = [/^\d+$/.test(ia), /^\d+$/.test(ib)];
    if (na && nb) {
      const d = Number(ia) - Number(ib);
      if (d) return Math.sign(d);
    } else if (na !== nb) {
      return na ? -1 : 1;
    } else if (ia !== ib) {
      return ia < ib ? -1 : 1;
    }
  }
  return 0;
}

describe('compareSemver', () => {
  it.each([
    ['16.4.5', '16.4.5', 0],
    ['16.4.6', '16.4.5', 1],
    ['16.10.0', '16.9.9', 1],
    ['16.4.5-canary.1', '16.4.5', -1],
    ['5.0.0-beta.32', '5.0.0-beta.4', 1],
    ['5.0.0-beta.31', '5.0.0-beta.32', -1],
    ['5.0.0-beta.32', '5.0.0', -1],
    ['5.0.0-beta', '5.0.0-beta.1', -1],
    ['5.0.0-alpha.99', '5.0.0-beta.1', -1],
    ['5.0.0-beta.1', '5.0.0-beta.x', -1],
    ['3.25.0', '3.4.6', 1],
    ['1.0.0+build.7', '1.0.0', 0],
  ])('%s vs %s → %d', (a, b, expected) => {
    expect(compareSemver(a, b)).toBe(expected);
    expect(compareSemver(b, a)).toBe(-expected || 0);
  });
});

describe('installed versions (package-lock.json)', () => {
  const lock = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../package-lock.json'), 'utf8'),
  ) as { packages: Record<string, { version?: string }> };

  it.each(Object.entries(FLOOR))('%s is at least %s', (name, floor) => {
    const version = lock.packages[`node_modules/${name}`]?.version;
    expect(version, `${name} is in package-lock.json`).toBeTruthy();
    expect(compareSemver(version!, floor), `${name} ${version} is below ${floor}`).toBeGreaterThanOrEqual(0);
  });

  it('no nested copy of these packages is older either', () => {
    const stale = Object.entries(lock.packages).filter(([where, meta]) => {
      const name = Object.keys(FLOOR).find((n) => where.endsWith(`node_modules/${n}`));
      return name && meta.version && compareSemver(meta.version, FLOOR[name]!) < 0;
    });
    expect(stale.map(([where, meta]) => `${where}@${meta.version}`)).toEqual([]);
  });
});
