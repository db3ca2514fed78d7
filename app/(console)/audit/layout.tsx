import { requireAuditReader } from './access';

/** Checked above loading.tsx: once the loading shell has streamed, a denial can no longer be a 403. */
export default async function AuditLayout({ children }: { children: React.ReactNode }) {
  await requireAuditReader();
  return children;
}
