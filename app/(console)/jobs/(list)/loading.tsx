import { PageSkeleton } from '@/components/ui/skeleton';

export default function JobsLoading() {
  return <PageSkeleton rows={8} columns={6} label="jobs" />;
}
