// Its own module, so the edge compilation of instrumentation.ts never sees node: imports.
export async function registerNode() {
  // Before anything loads @clerk/backend, which binds the global fetch when it loads.
  (await import('@/lib/clerk/upstream-fetch')).installUpstreamFetch();
  const { installPeerAddressStamp } = await import('@/lib/client-address');
  installPeerAddressStamp();
  const { getDb } = await import('@/lib/db');
  const { registerConsoleInstance } = await import('@/lib/audit');
  // Registering marks intents a crashed predecessor left without an outcome as "unknown".
  await registerConsoleInstance(await getDb());
  const { ensureDemoStaff } = await import('@/lib/auth/demo-staff');
  await ensureDemoStaff();
  const { startJobRunner, stopJobRunner } = await import('@/lib/jobs');
  await startJobRunner();
  const stop = () => void stopJobRunner();
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  // ~6 MB decodes synchronously: before serving, not stalling the first request that shows signals.
  const { getGeoIndex } = await import('@/lib/risk/geo-data');
  await getGeoIndex().catch(() => {});
  const { startWatchlistLoop } = await import('@/lib/risk/watchlist-loop');
  startWatchlistLoop();
  // Risk follows the index: subscribed before the first delivery or backfill page is written.
  (await import('@/lib/risk/on-index')).watchSessionIndex();
  const { ensureSessionIndexLoop } = await import('@/lib/session-index/loop');
  ensureSessionIndexLoop();
  const { startAuditStream, stopAuditStream } = await import('@/lib/audit-stream');
  const { startNotifyLoop, stopNotifyLoop } = await import('@/lib/notify');
  startAuditStream();
  startNotifyLoop();
  const stopDelivery = () => void Promise.allSettled([stopAuditStream(), stopNotifyLoop()]);
  process.once('SIGTERM', stopDelivery);
  process.once('SIGINT', stopDelivery);
}
