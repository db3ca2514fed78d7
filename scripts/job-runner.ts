/**
 * One console's job runner on its own, for the jobs benchmark (scripts/bench/jobs.ts): the same code a console
 * process starts from instrumentation.ts, configured by the usual environment variables.
 */
// As in instrumentation.ts: the guarded fetch goes in before anything loads @clerk/backend, which binds the
// global fetch when it loads (and lib/clerk refuses every answer that did not come through the guard).
import { installUpstreamFetch } from '../lib/clerk/upstream-fetch';

installUpstreamFetch();
const { startJobRunner, stopJobRunner } = await import('../lib/jobs');

const runner = await startJobRunner();
process.stdout.write(`${JSON.stringify({ ready: true, owner: runner?.owner ?? null })}\n`);
process.once('SIGTERM', () => {
  void stopJobRunner().then(() => process.exit(0));
});
