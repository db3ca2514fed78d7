import { TextLink } from '@/components/ui/text-link';

export interface RunningJobSummary {
  id: string;
  label: string;
  done: number;
  total: number;
  href: string;
}

export function RunningJobs({ jobs }: { jobs: readonly RunningJobSummary[] }) {
  if (jobs.length === 0) return null;
  return (
    <section aria-labelledby="running-jobs-heading" className="space-y-2">
      <h2 id="running-jobs-heading" className="text-base font-semibold">
        Revocation jobs running now
      </h2>
      <ul className="space-y-1 text-sm">
        {jobs.map((j) => (
          <li key={j.id}>
            <TextLink href={j.href}>{j.label}</TextLink>{' '}
            <span className="text-gray-600 dark:text-gray-400">
              {j.done.toLocaleString('en-US')} of {j.total.toLocaleString('en-US')}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
