import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '../..');
// tsx's own esbuild: tsx is what the scripts run under, and esbuild is what it compiles with.
const esbuild = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'))(
  'esbuild',
) as typeof import('esbuild');
const built = new Map<string, Promise<string>>();

/**
 * A script of ours and the modules it imports as one ESM file, under the react-server condition as `npm run staff`
 * runs them, built once per process: a child started with plain `node` on it spends a fraction of the CPU that
 * compiling every import under tsx again costs. Packages stay in node_modules, so `dir` is inside the repository.
 */
export function bundledScript(
  entry: string,
  dir = path.join(ROOT, 'node_modules/.cache/console-script-bundles'),
): Promise<string> {
  const name = path.basename(entry).replace(/\.tsx?$/, '');
  const outfile = path.join(dir, `${name}-${process.pid}.mjs`);
  let bundle = built.get(outfile);
  if (!bundle) {
    bundle = esbuild
      .build({
        entryPoints: [path.resolve(ROOT, entry)],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'esm',
        packages: 'external',
        conditions: ['react-server'],
        tsconfig: path.join(ROOT, 'tsconfig.json'),
        logLevel: 'error',
      })
      .then(() => {
        removeBundlesOfEndedProcesses(dir, name);
        return outfile;
      });
    built.set(outfile, bundle);
  }
  return bundle;
}

function removeBundlesOfEndedProcesses(dir: string, name: string): void {
  const pattern = new RegExp(`^${name}-(\\d+)\\.mjs$`);
  for (const file of fs.readdirSync(dir)) {
    const pid = pattern.exec(file)?.[1];
    if (pid && Number(pid) !== process.pid && !isRunning(Number(pid)))
      fs.rmSync(path.join(dir, file), { force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
