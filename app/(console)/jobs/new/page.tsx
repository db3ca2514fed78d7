import type { Metadata } from 'next';
import { PageHeader } from '@/components/ui/page-header';
import { IncidentForm } from '../_components/incident-form';
import { requireIncidentStaff } from './access';
import { getEnv } from '@/lib/env';

export const metadata: Metadata = { title: 'New incident job' };

export default async function NewIncidentJobPage() {
  await requireIncidentStaff();
  return (
    <div className="space-y-4">
      <PageHeader
        title="Sign out a list of users"
        description="Paste the users an incident touches. Every line is either found or reported; nothing is dropped."
      />
      <IncidentForm approvals={getEnv().approvals} />
    </div>
  );
}
