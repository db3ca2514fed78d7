import { Skeleton, SkeletonTable } from '@/components/ui/skeleton';

export default function UsersLoading() {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-7 w-24" />
        <Skeleton className="h-5 w-64" />
      </div>
      <SkeletonTable rows={8} columns={4} label="users" />
    </div>
  );
}
