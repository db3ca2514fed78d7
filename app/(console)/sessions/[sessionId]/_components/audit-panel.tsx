import { TextLink } from '@/components/ui/text-link';
import { auditLog, type AuditEntry } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';
import { unstable_rethrow } from 'next/navigation';
import { Alert } from '@/components/ui/alert';
import { reconcileAuditAction } from '@/app/(console)/audit/actions';
import { AuditTable } from '@/components/audit/audit-table';
import { toAuditEventView } from '@/components/audit/audit-view';
import { Panel } from './panel';
import { paths } from '@/lib/paths';

const LIMIT = 50;

/** What the console has done to this session, newest first (admins only: it is part of the audit log). */
export async function AuditPanel({ sessionId }: { sessionId: string }) {
  let entries: AuditEntry[] | null = null;
  try {
    entries = await auditLog(await getDb()).forTarget({ sessionId }, LIMIT);
  } catch (e) {
    unstable_rethrow(e);
    log.error(
      { where: 'detail:audit', err: e instanceof Error ? { name: e.name } : typeof e },
      'audit read failed',
    );
  }
  let content: React.ReactNode;
  if (!entries) {
    content = (
      <Alert tone="error" title="The audit events could not be loaded.">
        The console’s database did not answer. Try again shortly.
      </Alert>
    );
  } else if (!entries.length) {
    content = (
      <p className="text-sm text-gray-600 dark:text-gray-400">
        The console has not acted on this session yet.
      </p>
    );
  } else {
    content = (
      <AuditTable
        events={entries.map((e) => toAuditEventView(e, getEnv().reasons))}
        caption="Audit events for this session"
        hideTarget
        reconcile={reconcileAuditAction}
      />
    );
  }
  return (
    <Panel
      title="Audit events"
      description={`What staff did to this session through the console (latest ${LIMIT}).`}
      actions={
        <TextLink href={paths.audit({ target: sessionId })} className="text-sm font-medium">
          Open in the audit log
        </TextLink>
      }
    >
      {content}
    </Panel>
  );
}
