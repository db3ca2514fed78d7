import { Link } from '@/components/ui/link';
import { cn } from '@/components/ui/cn';
import { sessionsHref, type SessionsQuery } from '@/lib/queries/sessions-query';

export function LookFilter({ query }: { query: SessionsQuery }) {
  const on = Boolean(query.look);
  return (
    <Link
      href={sessionsHref(query, { look: !on })}
      aria-current={on ? 'page' : undefined}
      className={cn(
        'inline-block rounded-full px-3 py-1 text-sm font-medium',
        on
          ? 'bg-red-700 text-white'
          : 'text-red-800 ring-1 ring-red-300 ring-inset hover:bg-red-50 dark:text-red-300 dark:ring-red-800 dark:hover:bg-red-950',
      )}
    >
      {on ? 'Needs a look ✓' : 'Needs a look'}
    </Link>
  );
}
