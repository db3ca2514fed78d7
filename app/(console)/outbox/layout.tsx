import { requireOutboxReader } from './access';

export default async function OutboxLayout({ children }: { children: React.ReactNode }) {
  await requireOutboxReader();
  return children;
}
