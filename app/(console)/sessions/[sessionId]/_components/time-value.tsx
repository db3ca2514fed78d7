import { RelativeTime } from '@/components/ui/relative-time';
import { formatExact } from '@/components/ui/time-format';

export function TimeValue({ at }: { at: number | null | undefined }) {
  if (at == null || !Number.isFinite(at) || at <= 0)
    return <span className="text-gray-500 dark:text-gray-400">—</span>;
  return (
    <span className="flex flex-wrap items-baseline gap-x-2">
      <RelativeTime at={at} className="font-medium" />
      <span className="font-mono text-xs text-gray-600 dark:text-gray-400">{formatExact(at)}</span>
    </span>
  );
}
