import { Skeleton } from './skeleton';

const SIZES = {
  panel: { title: 'h-7 w-48', lead: 'h-4 w-80', body: 'h-32' },
  form: { title: 'h-7 w-64', lead: 'h-5 w-96', body: 'h-64' },
} as const;

/** A page heading over one panel (or form) while the page loads. */
export function PanelPageSkeleton({ size = 'panel' }: { size?: keyof typeof SIZES }) {
  const s = SIZES[size];
  return (
    <div className="space-y-4">
      <div className="space-y-2">
        <Skeleton className={s.title} />
        <Skeleton className={`${s.lead} max-w-full`} />
      </div>
      <Skeleton className={`${s.body} w-full rounded-lg`} />
    </div>
  );
}
