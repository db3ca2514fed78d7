import { Link } from './link';
import { cn } from './cn';
import { hrefWith } from '@/lib/paths';
import { pageInfo } from './paging';
import { nounFor } from '@/lib/vocabulary';
import { PageSizeSelect } from './page-size-select';

const nf = new Intl.NumberFormat('en-US');

export interface PaginationProps {
  pathname: string;
  params: Record<string, string | number | null | undefined>;
  total: number;
  totalIsLowerBound?: boolean;
  limit: number;
  offset: number;
  shown?: number;
  pageSizes?: readonly number[];
  noun?: string;
  className?: string;
}

export function Pagination({
  pathname,
  params,
  total,
  totalIsLowerBound = false,
  limit,
  offset,
  shown,
  pageSizes,
  noun = 'result',
  className,
}: PaginationProps) {
  const info = pageInfo(total, limit, offset, shown);
  const link = (targetOffset: number) => hrefWith(pathname, params, { offset: targetOffset || null });
  const item = (label: string, target: number | null, rel?: string) =>
    target === null ? (
      <span
        aria-disabled="true"
        className="cursor-not-allowed rounded-md px-2.5 py-1 text-gray-500 dark:text-gray-400"
      >
        {label}
      </span>
    ) : (
      <Link
        href={link(target)}
        rel={rel}
        className="rounded-md px-2.5 py-1 font-medium text-blue-700 hover:bg-blue-50 dark:text-blue-300 dark:hover:bg-blue-950"
      >
        {label}
      </Link>
    );
  return (
    <nav
      aria-label="Pagination"
      className={cn('flex flex-wrap items-center justify-between gap-3 text-sm', className)}
    >
      <p aria-live="polite" className="text-gray-700 dark:text-gray-300">
        {info.total === 0 ? (
          `No ${nounFor(0, noun)}`
        ) : (
          <>
            Showing <span className="font-medium">{nf.format(info.from)}</span>–
            <span className="font-medium">{nf.format(info.to)}</span> of{' '}
            <span className="font-medium" data-testid="total-count">
              {nf.format(info.total)}
              {totalIsLowerBound ? '+' : ''}
            </span>{' '}
            {nounFor(info.total, noun)}
          </>
        )}
      </p>
      <div className="flex flex-wrap items-center gap-2">
        {pageSizes?.length ? (
          <PageSizeSelect pathname={pathname} params={params} value={info.limit} sizes={pageSizes} />
        ) : null}
        <div className="flex items-center gap-1">
          {item('First', info.offset > 0 ? 0 : null)}
          {item('Previous', info.prevOffset, 'prev')}
          <span className="px-1 text-gray-600 dark:text-gray-400">
            Page {nf.format(info.page)} of {nf.format(info.pageCount)}
            {totalIsLowerBound ? '+' : ''}
          </span>
          {item('Next', info.nextOffset, 'next')}
          {item('Last', info.nextOffset === null || totalIsLowerBound ? null : info.lastOffset)}
        </div>
      </div>
    </nav>
  );
}
