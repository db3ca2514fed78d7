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

/**
 * The cells of one skeleton row, painted as a background rather than one element per cell: a 10 × 9 skeleton is
 * then 12 elements instead of 100, which every streamed page carries twice (in its HTML and its RSC payload).
 */
function cellsStyle(columns: number) {
  return {
    backgroundImage: 'linear-gradient(to right, currentColor calc(100% - 1rem), transparent 0)',
    backgroundSize: `calc(100% / ${columns}) 100%`,
  };
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
  const cells = cellsStyle(columns);
  return (
    <div
      role="status"
      aria-live="polite"
      className="relative overflow-hidden rounded-lg border border-gray-200 text-gray-200 dark:border-gray-800 dark:text-gray-800"
    >
      <span className="sr-only">Loading {label}…</span>
      <div className="border-b border-gray-200 bg-gray-50 px-3 py-2.5 dark:border-gray-800 dark:bg-gray-900">
        <div aria-hidden="true" className="h-4" style={cells} />
      </div>
      <div aria-hidden="true" className="animate-pulse motion-reduce:animate-none">
        {Array.from({ length: rows }, (_, r) => (
          <div
            key={r}
            className="h-12 border-b border-gray-100 bg-clip-content px-3 py-4 last:border-0 dark:border-gray-900"
            style={cells}
          />
        ))}
      </div>
    </div>
  );
}

/** A list page while it streams: its title, its description and a table. */
export function PageSkeleton({ rows, columns, label }: { rows: number; columns: number; label: string }) {
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <Skeleton className="h-7 w-32" />
        <Skeleton className="h-5 w-72 max-w-full" />
      </div>
      <SkeletonTable rows={rows} columns={columns} label={label} />
    </div>
  );
}
