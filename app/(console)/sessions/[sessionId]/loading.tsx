import { Skeleton } from '@/components/ui/skeleton';
import { PanelSkeleton } from './_components/panel';

export default function SessionDetailLoading() {
  return (
    <div className="space-y-5" aria-busy="true">
      <Skeleton className="h-5 w-40" />
      <div className="space-y-2">
        <Skeleton className="h-7 w-48" />
        <Skeleton className="h-4 w-72" />
      </div>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <PanelSkeleton title="Session" rows={11} />
        <div className="space-y-4">
          <PanelSkeleton title="Latest activity" rows={6} />
          <PanelSkeleton title="User" rows={6} />
        </div>
      </div>
      <PanelSkeleton title="Client" rows={3} />
    </div>
  );
}
