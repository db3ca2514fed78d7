import 'server-only';
// Spawned by denials.test.ts: one console instance refusing N anonymous requests at once from one address (or, with
// `{i}` in it, from N addresses), after a "go" on stdin so that two instances overlap; `at` (ms) pins the clock.
// Prints the running counts it was given, as JSON.
import readline from 'node:readline';
import { createDb } from '@/lib/db';
import { auditLog } from '@/lib/audit';

const [target, n, ip, at] = process.argv.slice(2);
if (!target || !n || !ip) process.exit(2);
const db = await createDb(target.startsWith('postgres') ? { databaseUrl: target } : { sqlitePath: target });
console.log('ready');
await new Promise<void>((resolve) =>
  readline.createInterface({ input: process.stdin }).once('line', () => resolve()),
);
const results = await Promise.all(
  Array.from({ length: Number(n) }, (_, i) =>
    auditLog(db, at ? { now: () => new Date(Number(at)) } : {}).denied({
      actor: { staffId: null, email: 'anonymous', role: null },
      action: 'access.denied',
      code: 'unauthenticated',
      details: { where: 'fixture' },
      ctx: { ip: ip.replace('{i}', String(i)), userAgent: 'fixture' },
    }),
  ),
);
await db.destroy();
console.log(JSON.stringify(results));
