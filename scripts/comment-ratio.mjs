// Comment lines as a share of non-blank product lines: app/, components/, lib/ (tests and lib/testing left out),
// proxy.ts and instrumentation*.ts. A line counts as a comment when it holds only a comment (//, /* */, /** */,
// JSX {/* */}) or is inside a block comment; code with a trailing comment counts as code.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|tsx|mjs|js)$/.test(f) && fs.existsSync(f))
  .filter((f) => /^(app|components|lib)\//.test(f) || /^(proxy|instrumentation[\w-]*)\.ts$/.test(f))
  .filter(
    (f) => !f.startsWith('lib/testing/') && !/\.(test|spec|fixture)\.tsx?$/.test(f) && !f.endsWith('.d.ts'),
  );

/** Drops string and template literals so a `//` inside a URL is not read as a comment. */
function withoutStrings(line) {
  return line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""');
}

function count(text) {
  let code = 0;
  let comments = 0;
  let inBlock = false;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    if (inBlock) {
      comments++;
      if (line.includes('*/')) inBlock = false;
      continue;
    }
    const bare = withoutStrings(line);
    if (bare.startsWith('//')) {
      comments++;
    } else if (/^\{?\/\*/.test(bare)) {
      comments++;
      if (!bare.includes('*/')) inBlock = true;
    } else {
      code++;
      const open = bare.lastIndexOf('/*');
      if (open !== -1 && !bare.includes('*/', open)) inBlock = true;
    }
  }
  return { lines: code + comments, comments };
}

const rows = files.map((f) => ({ file: f, ...count(fs.readFileSync(f, 'utf8')) }));
const lines = rows.reduce((n, r) => n + r.lines, 0);
const comments = rows.reduce((n, r) => n + r.comments, 0);
const pct = (a, b) => ((100 * a) / Math.max(b, 1)).toFixed(1);

console.log(
  `${comments} comment lines of ${lines} non-blank product lines in ${rows.length} files: ${pct(comments, lines)} %`,
);
console.log('Most comment lines:');
for (const r of rows.sort((a, b) => b.comments - a.comments).slice(0, 10))
  console.log(`  ${String(r.comments).padStart(4)}  ${pct(r.comments, r.lines).padStart(5)} %  ${r.file}`);
