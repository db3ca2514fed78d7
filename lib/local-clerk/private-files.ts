import fs from 'node:fs';
import path from 'node:path';

export function ensurePrivateDir(dir: string): void {
  const created = fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!created) return;
  // The data dir holds the private signing key. mkdir's mode is filtered by the umask; chmod is not.
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    fs.chmodSync(d, 0o700);
    if (d === path.resolve(created) || d === path.dirname(d)) break;
  }
}

/** SQLite gives -wal/-shm/-journal the main file's mode, so the main file is made 0600 before SQLite opens it. */
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
