// The embedded API's data directory holds its private signing key (in the SQLite store): owner-only, whatever the
// umask of whoever started it.
import fs from 'node:fs';
import path from 'node:path';

/** Creates `dir` (and missing parents) as 0700; a directory that already existed is left as its owner set it. */
export function ensurePrivateDir(dir: string): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!created) return;
  // mkdir's mode is filtered by the umask; chmod is not. Every level this call created is ours to tighten.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    fs.chmodSync(d, 0o700);
    if (d === path.resolve(created) || d === path.dirname(d)) break;
  }
}

/**
 * Makes sure the SQLite file and its -wal / -shm / -journal companions are 0600. SQLite creates the companions
 * with the main file's mode, so the main file is created (or tightened) before SQLite opens it.
 */
export function ensurePrivateDbFile(file: string): void {
  if (file === ':memory:' || file === '') return;
  ensurePrivateDir(path.dirname(file));
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) {
    try {
      fs.chmodSync(f, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
  }
}
