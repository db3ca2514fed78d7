import type { Metadata } from 'next';
import { TextLink } from '@/components/ui/text-link';
import { Suspense } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { ssoStepUpFresh } from '@/lib/auth/step-up';
import { SESSION_ID, can } from '@/lib/vocabulary';
import { IdText } from '@/components/ui/id-text';
import { PageHeader } from '@/components/ui/page-header';
import { StatusBadge } from '@/components/ui/status-badge';
import { DetailActivity } from './_components/detail-activity';
import { Panel, PanelSkeleton } from './_components/panel';
import { SessionSummary } from './_components/session-summary';
import { AuditPanel } from './_components/audit-panel';
import { ClientPanel } from './_components/client-panel';
import { loadSession } from './_components/data';
import { InvalidSessionId } from './_components/invalid-session-id';
import { RevokeSlot, RevokeSlotFallback } from './_components/revoke-slot';
import { SecureAccountSlot } from '../_components/secure-account-slot';
import { TokenPanel } from './_components/token-panel';
import { UserPanel } from './_components/user-panel';
import { RiskPanel } from './_components/risk-panel';
import { paths } from '@/lib/paths';
import { pageRead } from '../../_components/page-read';

export const metadata: Metadata = { title: 'Session' };

export default async function SessionDetailPage({ params }: { params: Promise<{ sessionId: string }> }) {
  const staff = await requireStaffPage('sessions:read', 'page:/sessions/[sessionId]');
  const { sessionId } = await params;
  // Checked before any upstream call: a malformed id gets an explanation, not a request to Clerk.
  if (!SESSION_ID.test(sessionId)) return <InvalidSessionId value={sessionId} />;

  const read = await pageRead(loadSession(sessionId));
  if (!read.ok) return <InvalidSessionId value={sessionId} />;
  const session = read.value;

  const active = session.status === 'active';
  // Rendered for any session when the role may revoke, so the outcome message survives the refresh that follows.
  const canRevoke = can(staff.role, 'sessions:revoke');
  const canMint = active && can(staff.role, 'tokens:create');
  const canAudit = can(staff.role, 'audit:read');

  return (
    <div className="space-y-5">
      <nav aria-label="Breadcrumb" className="text-sm">
        <TextLink href={paths.userSessions(session.userId)}>← Sessions of this user</TextLink>
      </nav>
      <PageHeader
        title={
          <span className="flex flex-wrap items-center gap-2">
            Session <StatusBadge status={session.status} />
          </span>
        }
        description={<IdText id={session.id} label="session id" />}
        actions={
          canRevoke ? (
            <div className="flex flex-wrap items-center gap-2">
              <Suspense fallback={<RevokeSlotFallback active={active} />}>
                <RevokeSlot session={session} />
              </Suspense>
              <Suspense fallback={null}>
                <SecureAccountSlot userId={session.userId} />
              </Suspense>
            </div>
          ) : null
        }
      />

      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Panel title="Session">
          <SessionSummary session={session} />
        </Panel>
        <div className="min-w-0 space-y-4">
          <Panel title="Latest activity">
            <DetailActivity session={session} />
          </Panel>
          <Suspense fallback={<PanelSkeleton title="User" rows={6} />}>
            <UserPanel userId={session.userId} />
          </Suspense>
        </div>
      </div>

      <Suspense fallback={<PanelSkeleton title="Risk signals" rows={2} />}>
        <RiskPanel sessionId={session.id} userId={session.userId} canReview={canRevoke} />
      </Suspense>

      <Suspense fallback={<PanelSkeleton title="Client" rows={3} />}>
        <ClientPanel clientId={session.clientId} sessionId={session.id} />
      </Suspense>

      {canMint ? (
        <Suspense fallback={<PanelSkeleton title="Create a token" rows={4} />}>
          <TokenPanel
            sessionId={session.id}
            userId={session.userId}
            passwordStepUp={staff.provider !== 'oidc'}
            ssoFresh={ssoStepUpFresh(staff)}
          />
        </Suspense>
      ) : null}

      {canAudit ? (
        <Suspense fallback={<PanelSkeleton title="Audit events" rows={3} />}>
          <AuditPanel sessionId={session.id} />
        </Suspense>
      ) : null}
    </div>
  );
}
