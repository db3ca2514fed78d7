import type { ReactNode } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { can } from '@/lib/vocabulary';
import { AppHeader } from '@/components/shell/app-header';
import { SignOutButton } from '@/components/shell/sign-out-button';
import type { NavItem } from '@/components/shell/nav-links';
import { QueryProvider } from '@/components/ui/query-provider';
import { ReasonSettingsProvider } from '@/components/forms/reason-codes-context';
import { getEnv } from '@/lib/env';
import { noticesEnabled } from '@/lib/notify';
import { countRunningJobs } from '@/lib/jobs';
import { signOutAction } from './actions';
import { paths } from '@/lib/paths';

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const staff = await requireStaffPage(null, 'layout');
  const runningJobs = await countRunningJobs();
  const nav: NavItem[] = [
    { href: paths.home(), label: 'Home' },
    { href: paths.users(), label: 'Users', also: [paths.sessions()] },
    { href: paths.sessionsSearch(), label: 'Search sessions' },
    { href: paths.jobs(), label: 'Jobs' },
  ];
  if (can(staff.role, 'sessions:revoke')) nav.push({ href: paths.approvals(), label: 'Approvals' });
  if (can(staff.role, 'audit:read')) nav.push({ href: paths.audit(), label: 'Audit' });
  if (can(staff.role, 'audit:read'))
    nav.push({ href: paths.auditStream(), label: 'Stream' }, { href: paths.outbox(), label: 'Outbox' });
  if (can(staff.role, 'staff:manage')) nav.push({ href: paths.staff(), label: 'Staff' });
  const { reasonCodes, ticketUrlTemplate } = getEnv().reasons;
  const reasons = { codes: reasonCodes, ticketUrlTemplate, noticesEnabled: noticesEnabled() };
  return (
    <QueryProvider>
      <ReasonSettingsProvider value={reasons}>
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:text-sm focus:shadow dark:focus:bg-gray-900"
        >
          Skip to content
        </a>
        <div className="flex min-h-screen flex-col">
          <AppHeader
            nav={nav}
            staff={{ email: staff.email, role: staff.role }}
            runningJobs={runningJobs}
            signOut={<SignOutButton action={signOutAction} />}
          />
          <main
            id="main"
            tabIndex={-1}
            className="mx-auto w-full max-w-7xl flex-1 px-4 py-6 focus:outline-none"
          >
            {children}
          </main>
        </div>
      </ReasonSettingsProvider>
    </QueryProvider>
  );
}
