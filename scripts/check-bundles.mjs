// First-load JavaScript per page, gzip, from the build's own manifests (no server needed): the root main files
// every page loads plus every chunk the page's client-reference manifest lists for its segments (layouts, page,
// error / not-found / loading boundaries). Fails when a page is over the budget.
//   node scripts/check-bundles.mjs [--budget-kb 180] [--json]
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';

const args = process.argv.slice(2);
const budgetKb = Number(args[args.indexOf('--budget-kb') + 1] || 180);
const dist = path.resolve(process.env.NEXT_DIST_DIR || '.next');
const appDir = path.join(dist, 'server', 'app');

if (!fs.existsSync(path.join(dist, 'BUILD_ID'))) {
  console.error(`check-bundles: no build in ${dist} (run next build first)`);
  process.exit(2);
}

const gz = new Map();
function gzipSize(file) {
  if (!gz.has(file)) gz.set(file, zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gz.get(file);
}

function pages(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...pages(p));
    else if (e.name === 'page_client-reference-manifest.js') out.push(p);
  }
  return out;
}

const rows = [];
for (const file of pages(appDir)) {
  const route = path.relative(appDir, path.dirname(file)).split(path.sep).join('/');
  if (route.startsWith('_')) continue; // Next's own error pages
  const sandbox = { globalThis: {} };
  vm.runInNewContext(fs.readFileSync(file, 'utf8'), sandbox);
  const manifest = Object.values(sandbox.globalThis.__RSC_MANIFEST)[0];
  const build = JSON.parse(
    fs.readFileSync(path.join(path.dirname(file), 'page', 'build-manifest.json'), 'utf8'),
  );
  const chunks = new Set(build.rootMainFiles);
  for (const list of Object.values(manifest.entryJSFiles ?? {})) for (const c of list) chunks.add(c);
  const bytes = [...chunks].reduce((n, c) => n + gzipSize(c), 0);
  const url = `/${route.replace(/\([^)]*\)\/?/g, '')}`.replace(/\/$/, '') || '/';
  rows.push({ route: url, chunks: chunks.size, kb: Math.round((bytes / 1024) * 10) / 10 });
}
rows.sort((a, b) => b.kb - a.kb);

if (args.includes('--json')) console.log(JSON.stringify(rows));
else {
  for (const r of rows) {
    const verdict = r.kb <= budgetKb ? 'ok  ' : 'OVER';
    console.log(
      `${verdict} ${String(r.kb).padStart(6)} kB  ${String(r.chunks).padStart(2)} chunks  ${r.route}`,
    );
  }
}
const over = rows.filter((r) => r.kb > budgetKb);
if (rows.length === 0) {
  console.error('check-bundles: no pages found in the build');
  process.exit(1);
}
console.log(
  over.length ? `${over.length} page(s) over ${budgetKb} kB of first-load JS` : `every page ≤ ${budgetKb} kB`,
);
process.exit(over.length ? 1 : 0);
