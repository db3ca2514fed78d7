import type { ComponentPropsWithoutRef, ReactNode } from 'react';
import { cn } from './cn';

// The console's one table look. Plain functions with no hooks, so Server and Client Components both render them.

export function Table({
  children,
  caption,
  focusable = false,
  minWidth,
  fixed = false,
  compact = false,
}: { children: ReactNode; minWidth?: number; fixed?: boolean; compact?: boolean } & (
  | { caption: string; focusable: true }
  | { caption?: string; focusable?: false }
)) {
  return (
    // `relative` keeps the screen-reader text inside the scroller; otherwise it widens the page at narrow widths.
    <div
      className="relative overflow-x-auto rounded-lg border border-gray-200 dark:border-gray-800"
      {...(focusable ? { role: 'region', 'aria-label': caption, tabIndex: 0 } : {})}
    >
      <table
        className={cn('w-full text-left text-sm', fixed && 'table-fixed', compact && '[&_td]:py-1.5')}
        style={minWidth ? { minWidth } : undefined}
      >
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        {children}
      </table>
    </div>
  );
}

export function TableHead(props: { labels: readonly string[] } | { children: ReactNode }) {
  return (
    <thead className="bg-gray-50 text-xs tracking-wide text-gray-700 uppercase dark:bg-gray-900 dark:text-gray-300">
      <tr>
        {'labels' in props ? props.labels.map((label) => <Th key={label}>{label}</Th>) : props.children}
      </tr>
    </thead>
  );
}

export function Th({ className, ...props }: Omit<ComponentPropsWithoutRef<'th'>, 'scope'>) {
  return <th {...props} scope="col" className={cn('px-3 py-2.5 font-semibold', className)} />;
}

export function TableBody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-gray-100 dark:divide-gray-800">{children}</tbody>;
}

export function Tr({
  className,
  selected,
  ...props
}: ComponentPropsWithoutRef<'tr'> & { selected?: boolean }) {
  return (
    <tr
      {...props}
      data-selected={selected || undefined}
      className={cn(
        'hover:bg-gray-50 data-selected:bg-blue-50/60 dark:hover:bg-gray-900/60 dark:data-selected:bg-blue-950/40',
        className,
      )}
    />
  );
}

export function Td({ className, ...props }: ComponentPropsWithoutRef<'td'>) {
  return <td {...props} className={cn('px-3 py-2.5', className)} />;
}
