import { cn } from './cn';

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

/** Cells painted as one background, not an element each: every streamed page carries them twice (HTML + RSC). */
function cellsStyle(columns: number) {
  return {
    backgroundImage: 'linear-gradient(to right, currentColor calc(100% - 1rem), transparent 0)',
    backgroundSize: `calc(100% / ${columns}) 100%`,
  };
}

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
