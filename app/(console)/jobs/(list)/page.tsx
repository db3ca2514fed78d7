import type { Metadata } from 'next';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { can } from '@/lib/vocabulary';
import { getDb } from '@/lib/db';
import { jobStore } from '@/lib/jobs';
import { ButtonLink } from '@/components/ui/button';
import { PageHeader } from '@/components/ui/page-header';
import { JobsList } from '../_components/jobs-list';
import { paths } from '@/lib/paths';

export const metadata: Metadata = { title: 'Jobs' };

async function loadJobs() {
  const jobs = await jobStore(await getDb()).list(100);
  return { jobs, fetchedAt: Date.now() };
}

export default async function JobsPage() {
  const staff = await requireStaffPage('sessions:read', 'page:/jobs');
  const initial = await loadJobs();
  return (
    <div className="space-y-4">
      <PageHeader
        title="Revocation jobs"
        description="Bulk revokes run on the server: they finish even if the tab that started them is closed."
        actions={
          can(staff.role, 'jobs:incident') ? (
            <ButtonLink href={paths.newJob()}>New incident job</ButtonLink>
          ) : null
        }
      />
      <JobsList initial={initial} />
    </div>
  );
}
