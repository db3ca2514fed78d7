import 'server-only';
// Spawned by db.test.ts: one "console instance" starting up against the database named on the command line.
import { createDb } from '@/lib/db';

const [target] = process.argv.slice(2);
if (!target) process.exit(2);
const db = await createDb(target.startsWith('postgres') ? { databaseUrl: target } : { sqlitePath: target });
await db.destroy();
console.log('migrated');
