import type { Metadata } from 'next';
import { TextLink } from '@/components/ui/text-link';
import { notFound } from 'next/navigation';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { can } from '@/lib/vocabulary';
import { getDb } from '@/lib/db';
import { jobStore, type JobView } from '@/lib/jobs';
import { UUID } from '@/lib/jobs/http';
import { PageHeader } from '@/components/ui/page-header';
import { CancelMemberJobs } from '../_components/cancel-member-jobs';
import { JobDetail } from '../_components/job-detail';
import { paths } from '@/lib/paths';
import { maySteerJob } from '@/lib/jobs/policy';
import { approvalStore } from '@/lib/approvals';
import { Alert } from '@/components/ui/alert';
import { getEnv } from '@/lib/env';
import { ReasonTags } from '@/components/forms/reason-tags';
import { reasonView } from '@/components/audit/audit-view';

export const metadata: Metadata = { title: 'Job' };

async function loadItems(job: JobView) {
  const items = await jobStore(await getDb()).items(job.id, { limit: 100 });
  return { job, items, fetchedAt: Date.now() };
}

export default async function JobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const staff = await requireStaffPage('sessions:read', 'page:/jobs/[jobId]');
  const { jobId } = await params;
  if (!UUID.test(jobId)) notFound();
  const store = jobStore(await getDb());
  const job = await store.get(jobId);
  if (!job) notFound();
  const initial = await loadItems(job);
  const canControl = maySteerJob(staff, job);
  const approval = await approvalStore(await getDb()).byJob(job.id);
  return (
    <div className="space-y-4">
      <nav aria-label="Breadcrumb" className="text-sm">
        <TextLink href={paths.jobs()}>← All jobs</TextLink>
      </nav>
      <PageHeader title="Revocation job" description={<span className="font-mono text-xs">{job.id}</span>} />
      {approval?.mode === 'break_glass' ? (
        <Alert tone="error" title="Break-glass: started without a second admin">
          {approval.requester.email} acted alone: “{approval.emergencyReason}”.{' '}
          <TextLink href={paths.approval(approval.id)}>The record</TextLink>
        </Alert>
      ) : approval ? (
        <Alert tone="info">
          Requested by {approval.requester.email}, approved by {approval.decidedBy?.email ?? 'another admin'}.{' '}
          <TextLink href={paths.approval(approval.id)}>The request</TextLink>
        </Alert>
      ) : null}
      <JobDetail
        initial={initial}
        canControl={canControl}
        reasonTags={<ReasonTags {...reasonView(job, getEnv().reasons)} />}
      />
      {can(staff.role, 'staff:manage') && job.createdBy.staffId !== staff.id ? (
        <section aria-label="The member's other jobs" className="flex flex-wrap items-center gap-3 text-sm">
          <span className="text-gray-600 dark:text-gray-400">
            Stop everything {job.createdBy.email} has under way, not only this job:
          </span>
          <CancelMemberJobs staffId={job.createdBy.staffId} email={job.createdBy.email} />
        </section>
      ) : null}
    </div>
  );
}
