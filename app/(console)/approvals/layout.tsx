import { requireApprovalsStaff } from './access';

/** Above the loading view, so a denied member gets a real 403 rather than a streamed 200 (as in /audit). */
export default async function ApprovalsLayout({ children }: { children: React.ReactNode }) {
  await requireApprovalsStaff();
  return children;
}
