import type { ReactNode } from 'react';
import { cn } from './cn';

export type AlertTone = 'info' | 'success' | 'warning' | 'error';

const TONES: Record<AlertTone, string> = {
  info: 'border-blue-200 bg-blue-50 text-blue-900 dark:border-blue-900 dark:bg-blue-950 dark:text-blue-100',
  success:
    'border-green-200 bg-green-50 text-green-900 dark:border-green-900 dark:bg-green-950 dark:text-green-100',
  warning:
    'border-amber-200 bg-amber-50 text-amber-950 dark:border-amber-900 dark:bg-amber-950 dark:text-amber-100',
  error: 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950 dark:text-red-100',
};

export function Alert({
  tone = 'info',
  title,
  children,
  traceId,
  role,
  className,
}: {
  tone?: AlertTone;
  title?: ReactNode;
  children?: ReactNode;
  traceId?: string | null;
  role?: 'status' | 'alert' | null;
  className?: string;
}) {
  const resolvedRole =
    role === undefined ? (tone === 'error' || tone === 'warning' ? 'alert' : 'status') : (role ?? undefined);
  return (
    <div role={resolvedRole} className={cn('rounded-md border px-3 py-2 text-sm', TONES[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? 'mt-0.5' : undefined}>{children}</div> : null}
      {traceId ? (
        <p className="mt-1 text-xs opacity-90">
          Trace id: <code className="font-mono select-all">{traceId}</code>
        </p>
      ) : null}
    </div>
  );
}
