/** Runs once when a console server starts. */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { ensureDemoStaff } = await import('@/lib/auth/demo-staff');
  await ensureDemoStaff();
}
