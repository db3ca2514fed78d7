import { cn } from './cn';

export function ProgressBar({
  value,
  max,
  label,
  className,
}: {
  value: number;
  max: number;
  label: string;
  className?: string;
}) {
  const safeMax = Math.max(1, max);
  const clamped = Math.min(Math.max(0, value), safeMax);
  const pct = Math.round((clamped / safeMax) * 100);
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={safeMax}
      aria-valuenow={clamped}
      aria-valuetext={`${clamped} of ${safeMax}`}
      className={cn('h-2.5 w-full overflow-hidden rounded-full bg-gray-200 dark:bg-gray-800', className)}
    >
      <div
        className="h-full rounded-full bg-blue-700 transition-[width] motion-reduce:transition-none dark:bg-blue-500"
        style={{ width: `${pct}%` }}
      />
    </div>
  );
}
