import { Link } from '@/components/ui/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { GlobalSearch } from './global-search';
import { NavLinks, type NavItem } from './nav-links';
import { RunningJobsIndicator } from './running-jobs';
import { paths } from '@/lib/paths';

const ROLE_TONES = { admin: 'purple', support: 'blue', viewer: 'neutral' } as const;

export function AppHeader({
  nav,
  staff,
  signOut,
  runningJobs,
}: {
  nav: NavItem[];
  runningJobs: number;
  staff: { email: string; role: 'viewer' | 'support' | 'admin' };
  signOut: ReactNode;
}) {
  return (
    <header className="border-b border-gray-200 bg-white dark:border-gray-800 dark:bg-gray-900">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-2.5">
        <Link href={paths.users()} className="text-base font-semibold whitespace-nowrap">
          Session Console
        </Link>
        <NavLinks items={nav} />
        <div className="order-last w-full min-w-0 xl:order-none xl:w-auto xl:max-w-md xl:flex-1">
          <GlobalSearch />
        </div>
        <div className="ml-auto flex min-w-0 items-center gap-2">
          <RunningJobsIndicator initial={runningJobs} />
          <p className="flex min-w-0 items-center gap-2 text-sm">
            <span className="sr-only">Signed in as</span>
            <span className="max-w-56 truncate" title={staff.email}>
              {staff.email}
            </span>
            <span className="sr-only">, role</span>
            <Badge tone={ROLE_TONES[staff.role]}>{staff.role}</Badge>
          </p>
          {signOut}
        </div>
      </div>
    </header>
  );
}
