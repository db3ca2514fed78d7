import { Link } from '@/components/ui/link';
import { LIST_STATUSES, type ListStatus } from '@/lib/vocabulary';
import { statusLabel } from '@/components/ui/status-badge';
import { cn } from '@/components/ui/cn';
import { sessionsHref, type SessionsQuery } from '@/lib/queries/sessions-query';

export const STATUS_FILTER_ORDER: readonly ListStatus[] = [
  'active',
  ...LIST_STATUSES.filter((s) => s !== 'active' && s !== 'all'),
  'all',
];

export function StatusFilter({ query }: { query: SessionsQuery }) {
  return (
    <nav aria-label="Filter by status">
      <ul className="flex flex-wrap gap-1">
        {STATUS_FILTER_ORDER.map((status) => {
          const current = status === query.status;
          return (
            <li key={status}>
              <Link
                href={sessionsHref(query, { status })}
                aria-current={current ? 'page' : undefined}
                className={cn(
                  'inline-block rounded-full px-3 py-1 text-sm font-medium',
                  current
                    ? 'bg-blue-700 text-white'
                    : 'text-gray-700 ring-1 ring-gray-300 ring-inset hover:bg-gray-100 dark:text-gray-300 dark:ring-gray-700 dark:hover:bg-gray-800',
                )}
              >
                {status === 'all' ? 'All' : statusLabel(status)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
