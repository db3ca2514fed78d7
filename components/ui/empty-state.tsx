import type { ReactNode } from 'react';
import { cn } from './cn';

export function EmptyState({
  title,
  description,
  action,
  className,
}: {
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
}) {
  return (
    <div
      className={cn(
        'rounded-lg border border-dashed border-gray-300 px-6 py-10 text-center dark:border-gray-700',
        className,
      )}
    >
      <p className="text-base font-semibold">{title}</p>
      {description ? (
        <p className="mx-auto mt-1 max-w-prose text-sm text-gray-600 dark:text-gray-400">{description}</p>
      ) : null}
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
