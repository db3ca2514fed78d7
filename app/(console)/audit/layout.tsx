import { requireAuditReader } from './access';

/**
 * The role check sits in the layout, above the section's loading.tsx, so a denied staff member gets a real
 * 403 response (once the loading shell has streamed, the status is already 200). The page checks too (see access.ts).
 */
export default async function AuditLayout({ children }: { children: React.ReactNode }) {
  await requireAuditReader();
  return children;
}
