import 'server-only';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { clerkRunnerOps } from '@/lib/jobs/clerk-ops';
import { startRunner, type JobRunner } from '@/lib/jobs/runner';
import { jobStore } from '@/lib/jobs/store';
import { RUNNING_JOB_STATES } from '@/lib/jobs/types';

export { jobStore, type JobStore } from '@/lib/jobs/store';
export { JobCapError, JobKeyConflictError, type NewJob } from '@/lib/jobs/store/lifecycle';
export * from '@/lib/jobs/types';

// On globalThis: Next may load this module more than once per process, and there must be one runner per process.
const RUNNER = Symbol.for('session-console.job-runner');
type Holder = { [RUNNER]?: JobRunner };

export async function startJobRunner(): Promise<JobRunner | null> {
  const holder = globalThis as Holder;
  if (holder[RUNNER]) return holder[RUNNER];
  const env = getEnv();
  if (!env.jobs.runner) return null;
  const runner = startRunner({
    db: await getDb(),
    clerk: clerkRunnerOps,
    concurrency: env.jobs.concurrency,
    leaseMs: env.jobs.leaseMs,
    pollMs: env.jobs.pollMs,
  });
  holder[RUNNER] = runner;
  log.info({ owner: runner.owner, concurrency: env.jobs.concurrency }, 'job runner started');
  return runner;
}

export async function stopJobRunner(): Promise<void> {
  const holder = globalThis as Holder;
  const runner = holder[RUNNER];
  delete holder[RUNNER];
  await runner?.stop();
}

export function wakeJobRunner(): void {
  (globalThis as Holder)[RUNNER]?.wake();
}

export async function listRunningJobs() {
  return jobStore(await getDb()).activeSummaries();
}

export async function countRunningJobs(): Promise<number> {
  return jobStore(await getDb()).countInStates(RUNNING_JOB_STATES);
}
