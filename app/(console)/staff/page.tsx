import type { Metadata } from 'next';
import { staffStore } from '@/lib/auth/staff-store';
import { ssoStepUpFresh } from '@/lib/auth/step-up';
import { getDb } from '@/lib/db';
import { PageHeader } from '@/components/ui/page-header';
import { StaffTable, type StaffRow } from './_components/staff-table';
import { requireStaffManager } from './access';

export const metadata: Metadata = { title: 'Staff' };

export default async function StaffPage() {
  const me = await requireStaffManager();
  const members = await staffStore(await getDb()).list();
  const rows: StaffRow[] = members.map((m) => ({
    id: m.id,
    email: m.email,
    role: m.role,
    disabled: m.disabled,
    source: m.source,
    lastSignInAt: m.lastSignInAt ? m.lastSignInAt.getTime() : null,
    createdAt: m.createdAt.getTime(),
    isSelf: m.id === me.id,
  }));
  return (
    <div className="space-y-4">
      <PageHeader
        title="Staff"
        description={
          <>
            Who can use the console. Changes apply from the member&apos;s next request. Add members and set
            passwords with <code className="font-mono text-xs">npm run staff</code> on the console&apos;s
            machine.
          </>
        }
      />
      <StaffTable
        rows={rows}
        stepUp={me.provider === 'oidc' ? { kind: 'sso', fresh: ssoStepUpFresh(me) } : { kind: 'password' }}
      />
    </div>
  );
}
