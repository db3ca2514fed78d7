import { cn } from '@/components/ui/cn';
import type { ReviewedSignal } from '@/lib/risk/types';
import { SIGNAL_LABELS, type Severity } from '@/lib/vocabulary';

const TONE: Record<Severity, string> = {
  high: 'bg-red-50 text-red-800 ring-red-600/40 dark:bg-red-950 dark:text-red-200 dark:ring-red-500/50',
  medium:
    'bg-amber-50 text-amber-900 ring-amber-600/40 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-500/50',
  low: 'bg-gray-100 text-gray-800 ring-gray-400 dark:bg-gray-800 dark:text-gray-200 dark:ring-gray-600',
};
const REVIEWED =
  'bg-white text-gray-700 ring-gray-300 dark:bg-gray-900 dark:text-gray-300 dark:ring-gray-700';

export const severityWord = (s: Severity) => (s === 'high' ? 'High' : s === 'medium' ? 'Medium' : 'Low');

export function signalDescription(s: ReviewedSignal): string {
  const review = s.review ? ` Reviewed by ${s.review.reviewedBy}: ${s.review.note}` : '';
  return `${severityWord(s.severity)} severity. ${s.evidence}.${review}`;
}

export function SignalBadges({
  signals,
  idPrefix,
}: {
  signals: readonly ReviewedSignal[];
  idPrefix: string;
}) {
  if (signals.length === 0) return <span className="sr-only">No signals</span>;
  return (
    <ul className="flex max-w-56 flex-wrap gap-1" aria-label="Risk signals">
      {signals.map((s) => {
        const id = `${idPrefix}-${s.kind}`;
        return (
          <li key={s.kind} className="group relative">
            <button
              type="button"
              aria-describedby={id}
              data-signal={s.kind}
              data-reviewed={s.review ? 'true' : 'false'}
              className={cn(
                'inline-flex cursor-help items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset focus:outline-2 focus:outline-offset-2 focus:outline-blue-600',
                s.review ? REVIEWED : TONE[s.severity],
              )}
            >
              {SIGNAL_LABELS[s.kind]}
              {s.review ? <span className="font-normal"> (reviewed)</span> : null}
            </button>
            <span
              role="tooltip"
              id={id}
              className="upstream-text pointer-events-none absolute top-full left-0 z-20 mt-1 hidden w-72 rounded-md bg-gray-900 px-3 py-2 text-xs font-normal whitespace-normal text-white shadow-lg group-focus-within:block group-hover:block dark:bg-gray-100 dark:text-gray-900"
            >
              {signalDescription(s)}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
