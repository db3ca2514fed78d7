// Adds up every suite of `npm test` (checks, Vitest, Playwright) into the closing `N passed, N failed` line.
import fs from 'node:fs';

let passed = 0;
let failed = 0;
const lines = [];
const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);

if (fs.existsSync('test-results/checks.txt')) {
  for (const line of fs.readFileSync('test-results/checks.txt', 'utf8').trim().split('\n').filter(Boolean)) {
    const [verdict, name] = line.split(' ');
    if (verdict === 'pass') passed++;
    else failed++;
    lines.push(`${name}: ${verdict === 'pass' ? 'passed' : 'FAILED'}`);
  }
}

const vitest = read('test-results/vitest.json');
if (vitest) {
  const p = vitest.numPassedTests ?? 0;
  // Suites that failed to load count as failures too, not as "no tests".
  const f =
    (vitest.numFailedTests ?? 0) +
    (vitest.testResults ?? []).filter((r) => r.status === 'failed' && (r.assertionResults ?? []).length === 0)
      .length +
    (p + (vitest.numFailedTests ?? 0) === 0 ? 1 : 0);
  const skipped = (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  passed += p;
  failed += f;
  lines.push(`vitest: ${p} passed, ${f} failed${skipped ? `, ${skipped} skipped (counted as neither)` : ''}`);
} else {
  failed++;
  lines.push('vitest: no report (it did not run)');
}

const e2e = read('test-results/e2e.json');
if (e2e) {
  const s = e2e.stats ?? {};
  const p = s.expected ?? 0;
  // A run that could not start (a port in use, a web server that never came up) reports its errors and no test:
  // that is a failure, never "0 failed".
  const errors = (e2e.errors ?? []).length;
  const f =
    (s.unexpected ?? 0) +
    (s.flaky ?? 0) +
    errors +
    (p + (s.unexpected ?? 0) + (s.flaky ?? 0) === 0 && !errors ? 1 : 0);
  for (const e of e2e.errors ?? []) lines.push(`playwright error: ${String(e.message ?? '').split('\n')[0]}`);
  passed += p;
  failed += f;
  lines.push(
    `playwright: ${p} passed, ${f} failed${s.skipped ? `, ${s.skipped} skipped (counted as neither)` : ''}`,
  );
} else {
  failed++;
  lines.push('playwright: no report (it did not run)');
}

for (const l of lines) console.log(l);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
