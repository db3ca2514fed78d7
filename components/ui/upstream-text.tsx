import { cn } from './cn';

/** Bidi-isolated React text, truncated, so a 2,000-character name or a U+202E can't break or reorder the page. */
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
  wrap?: boolean;
  inline?: boolean;
  max?: number;
}) {
  if (value == null || value === '')
    return <span className={cn('text-gray-500 dark:text-gray-400', className)}>{fallback}</span>;
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
