import { Skeleton, SkeletonTable } from '@/components/ui/skeleton';

export default function JobsLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-7 w-32" />
        <Skeleton className="h-5 w-72 max-w-full" />
      </div>
      <SkeletonTable rows={8} columns={6} label="jobs" />
    </div>
  );
}
