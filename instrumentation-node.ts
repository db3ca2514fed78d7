// Node-only start-up, imported by instrumentation.ts behind its runtime check: kept in a module of its own so the
// edge compilation of instrumentation.ts never sees node: imports (Next warned "Ecmascript file had an error").
export async function registerNode() {
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
  // The city index decodes ~6 MB synchronously (about a second): do it before serving, not in the first request
  // that shows signals, where it would stall every request (and the embedded API) in flight.
  const { getGeoIndex } = await import('@/lib/risk/geo-data');
  await getGeoIndex().catch(() => {});
  // The home page's watchlist: a background scan per process, taking turns through a lease in the database.
  const { startWatchlistLoop } = await import('@/lib/risk/watchlist-loop');
  startWatchlistLoop();
}
