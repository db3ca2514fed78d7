/**
 * One console's job runner on its own, for the jobs benchmark (lib/bench/jobs.ts): the same code a console
 * process starts from instrumentation.ts, configured by the usual environment variables.
 */
import { startJobRunner, stopJobRunner } from '../lib/jobs';

const runner = await startJobRunner();
process.stdout.write(`${JSON.stringify({ ready: true, owner: runner?.owner ?? null })}\n`);
process.once('SIGTERM', () => {
  void stopJobRunner().then(() => process.exit(0));
});
