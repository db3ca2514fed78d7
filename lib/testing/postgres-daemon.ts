// Runs lib/testing/pg's throwaway PostgreSQL in a process of its own (lib/db is server-only, so a Playwright worker
// cannot import it): prints {"url"} once ready, and stops the cluster on SIGTERM or when its parent goes away.
// Started by startPostgresProcess() with `--conditions=react-server --import tsx`.
import { startTestPostgres } from '@/lib/testing/pg';

const pg = await startTestPostgres();
if (!pg) {
  process.stdout.write(`${JSON.stringify({ url: null })}\n`);
  process.exit(0);
}
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await pg.stop().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.stdout.write(`${JSON.stringify({ url: pg.url })}\n`);
