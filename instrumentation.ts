/** Runs once when a console server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // Before anything loads @clerk/backend, which binds the global fetch when it loads.
  (await import('@/lib/clerk/upstream-fetch')).installUpstreamFetch();
  // First, before the server handles a request: where each request really comes from (see lib/client-address).
  const { installPeerAddressStamp } = await import('@/lib/client-address');
  installPeerAddressStamp();
  const { getDb } = await import('@/lib/db');
  const { registerConsoleInstance } = await import('@/lib/audit');
  // Registering this process marks the intents a crashed predecessor left without an outcome as "unknown" now.
  await registerConsoleInstance(await getDb());
  const { ensureDemoStaff } = await import('@/lib/auth/demo-staff');
  await ensureDemoStaff();
  // Every console process runs revocation jobs, so a job outlives the tab, and the instance, that started it.
  const { startJobRunner, stopJobRunner } = await import('@/lib/jobs');
  await startJobRunner();
  const stop = () => void stopJobRunner();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}
