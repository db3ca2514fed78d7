import { PageSkeleton } from '@/components/ui/skeleton';

export default function TimelineLoading() {
  return <PageSkeleton rows={8} columns={3} label="timeline" />;
}
