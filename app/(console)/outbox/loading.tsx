import { PageSkeleton } from '@/components/ui/skeleton';

export default function OutboxLoading() {
  return <PageSkeleton rows={6} columns={5} label="mails" />;
}
