import { cn } from './cn';

/** A grey placeholder block; give it the size of what it stands for so nothing shifts when data arrives. */
export function Skeleton({ className }: { className?: string }) {
  return (
    <div
      aria-hidden="true"
      className={cn(
        'animate-pulse rounded bg-gray-200 motion-reduce:animate-none dark:bg-gray-800',
        className,
      )}
    />
  );
}

/** A table-shaped skeleton with an accessible "Loading {label}" status for screen readers. */
export function SkeletonTable({
  rows = 8,
  columns = 6,
  label = 'content',
}: {
  rows?: number;
  columns?: number;
  label?: string;
}) {
  return (
    <div
      role="status"
      aria-live="polite"
      className="relative overflow-hidden rounded-lg border border-gray-200 dark:border-gray-800"
    >
      <span className="sr-only">Loading {label}…</span>
      <div className="flex gap-4 border-b border-gray-200 bg-gray-50 px-3 py-2.5 dark:border-gray-800 dark:bg-gray-900">
        {Array.from({ length: columns }, (_, i) => (
          <Skeleton key={i} className="h-4 flex-1" />
        ))}
      </div>
      {Array.from({ length: rows }, (_, r) => (
        <div
          key={r}
          className="flex h-12 items-center gap-4 border-b border-gray-100 px-3 last:border-0 dark:border-gray-900"
        >
          {Array.from({ length: columns }, (_, c) => (
            <Skeleton key={c} className="h-4 flex-1" />
          ))}
        </div>
      ))}
    </div>
  );
}
