import { Skeleton } from '@/components/ui/skeleton';

export default function ApprovalLoading() {
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-80 max-w-full" />
      </div>
      <Skeleton className="h-32 w-full rounded-lg" />
    </div>
  );
}
