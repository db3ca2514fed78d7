import { TextLink } from '@/components/ui/text-link';
import { PageHeader } from '@/components/ui/page-header';
import { paths } from '@/lib/paths';

export default function JobNotFound() {
  return (
    <div className="space-y-4">
      <PageHeader title="Job not found" description="No revocation job has this id, or the link is wrong." />
      <p className="text-sm">
        <TextLink href={paths.jobs()} className="font-medium">
          See all jobs
        </TextLink>
      </p>
    </div>
  );
}
