import { Skeleton, SkeletonTable } from '@/components/ui/skeleton';

export default function JobLoading() {
  return (
    <div className="space-y-4">
      <Skeleton className="h-5 w-24" />
      <div className="space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <Skeleton className="h-32 w-full rounded-lg" />
      <SkeletonTable rows={8} columns={5} label="job items" />
    </div>
  );
}
