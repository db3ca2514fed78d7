import { Skeleton, SkeletonTable } from '@/components/ui/skeleton';

export default function SearchLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-7 w-32" />
        <Skeleton className="h-5 w-72 max-w-full" />
      </div>
      <SkeletonTable rows={6} columns={4} label="search results" />
    </div>
  );
}
