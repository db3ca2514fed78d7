import { Skeleton, SkeletonTable } from '@/components/ui/skeleton';

export default function AuditLoading() {
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <Skeleton className="h-7 w-40" />
        <Skeleton className="h-4 w-96 max-w-full" />
      </div>
      <Skeleton className="h-48 w-full rounded-lg" />
      <SkeletonTable rows={10} columns={7} label="audit events" />
    </div>
  );
}
