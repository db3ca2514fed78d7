import { cn } from './cn';

/**
 * A string that came from upstream (a name, a device, a city). Always rendered as React text inside a
 * bidi-isolated span, truncated to one line by default with the full value in `title`, so a 2,000-character
 * name or a U+202E override can't break or reorder the page. `fallback` shows for null/empty.
 */
export function UpstreamText({
  value,
  fallback = '—',
  className,
  wrap = false,
  inline = false,
  max = 300,
}: {
  value: string | null | undefined;
  fallback?: string;
  className?: string;
  /** Wrap onto several lines instead of truncating to one. */
  wrap?: boolean;
  /** Flow inside a sentence (bounded by `max` characters, not by width). */
  inline?: boolean;
  /** Characters kept in the DOM; the rest is elided (the title keeps up to 2,000). */
  max?: number;
}) {
  if (value == null || value === '')
    return <span className={cn('text-gray-500 dark:text-gray-400', className)}>{fallback}</span>;
  // The DOM keeps a bounded copy: a multi-kilobyte name need not be laid out (or read out) in full.
  const shown = value.length > max ? `${value.slice(0, max)}…` : value;
  return (
    <span
      title={value.length > 2000 ? `${value.slice(0, 2000)}…` : value}
      className={cn('upstream-text', inline ? 'inline' : wrap ? 'break-words' : 'block truncate', className)}
    >
      {shown}
    </span>
  );
}
