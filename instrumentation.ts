/** Runs once when a console server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { getDb } = await import('@/lib/db');
  const { registerConsoleInstance } = await import('@/lib/audit');
  // Registering this process marks the intents a crashed predecessor left without an outcome as "unknown" now.
  await registerConsoleInstance(await getDb());
  const { ensureDemoStaff } = await import('@/lib/auth/demo-staff');
  await ensureDemoStaff();
  // The city index decodes ~6 MB synchronously (about a second): do it before serving, not in the first request
  // that shows signals, where it would stall every request (and the embedded API) in flight.
  const { getGeoIndex } = await import('@/lib/risk/geo-data');
  await getGeoIndex().catch(() => {});
  // The home page's watchlist: a background scan per process, taking turns through a lease in the database.
  const { startWatchlistLoop } = await import('@/lib/risk/watchlist-loop');
  startWatchlistLoop();
}
