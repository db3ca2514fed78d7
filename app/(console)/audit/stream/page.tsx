import type { Metadata } from 'next';
import { streamStatus } from '@/lib/audit-stream';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { paths } from '@/lib/paths';
import { plural } from '@/lib/vocabulary';
import { Badge } from '@/components/ui/badge';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireAuditReader } from '../access';
import { RewindForm } from './_components/rewind-form';
import { rewindAuditStreamAction } from './actions';

export const metadata: Metadata = { title: 'Audit stream' };

export default async function AuditStreamPage() {
  await requireAuditReader();
  const { stream } = getEnv();
  const receivers = await streamStatus(await getDb(), stream);

  return (
    <div className="space-y-4">
      <PageHeader
        title="Audit stream"
        description="Every audit event, delivered in order to the security team's receivers as signed Standard Webhooks; with Shared Signals on, revokes also go out as CAEP session-revoked events. A receiver that is down is retried with growing pauses and misses nothing. Times are UTC."
      />
      {receivers.length === 0 ? (
        <EmptyState
          title="No receiver is configured"
          description="Set AUDIT_STREAM_URL and AUDIT_STREAM_SECRET (a whsec_ secret) to stream the audit log, or SSF_RECEIVER_URL to push CAEP events, then restart the console."
        />
      ) : (
        <>
          <Table caption="Receivers" focusable minWidth={900}>
            <TableHead labels={['Receiver', 'Cursor', 'Behind', 'Last success', 'Last error', 'Delivered']} />
            <TableBody>
              {receivers.map((r) => {
                const s = r.state;
                const retrying = r.retrying;
                return (
                  <Tr key={r.name}>
                    <Td className="align-top">
                      <p className="font-medium">{r.name}</p>
                      <p className="text-xs text-gray-600 dark:text-gray-400">
                        {r.kind === 'ssf' ? 'CAEP (Shared Signals)' : 'Standard Webhooks'} · {r.host}
                      </p>
                    </Td>
                    <Td className="align-top font-mono text-xs">
                      {s ? `#${s.cursor} of #${r.lastSeq}` : 'starting'}
                    </Td>
                    <Td className="align-top">
                      {r.behind === 0 ? (
                        <Badge tone="green">up to date</Badge>
                      ) : (
                        <>
                          <Badge tone={retrying ? 'red' : 'amber'}>{plural(r.behind, 'row')}</Badge>
                          {r.oldestWaitingAt ? (
                            <p className="text-xs text-gray-600 dark:text-gray-400">
                              oldest <RelativeTime at={r.oldestWaitingAt.getTime()} />
                            </p>
                          ) : null}
                        </>
                      )}
                    </Td>
                    <Td className="align-top">
                      <RelativeTime at={s?.lastSuccessAt?.getTime()} fallback="never" />
                    </Td>
                    <Td className="align-top">
                      {s?.lastError ? (
                        <>
                          <p className="text-sm text-red-700 dark:text-red-400">{s.lastError}</p>
                          <p className="text-xs text-gray-600 dark:text-gray-400">
                            <RelativeTime at={s.lastErrorAt?.getTime()} />
                            {retrying ? (
                              <>
                                {` · ${plural(s.attempts, 'failed attempt')}, next `}
                                <RelativeTime at={s.nextAttemptAt!.getTime()} />
                              </>
                            ) : null}
                          </p>
                        </>
                      ) : (
                        '—'
                      )}
                    </Td>
                    <Td className="align-top">{s ? s.delivered.toLocaleString('en-US') : '—'}</Td>
                  </Tr>
                );
              })}
            </TableBody>
          </Table>
          {stream.ssf ? (
            <p className="text-sm text-gray-700 dark:text-gray-300">
              Receivers verify the CAEP events with the public key at{' '}
              <code className="font-mono text-xs">{paths.api.ssfJwks()}</code> (issuer{' '}
              <code className="font-mono text-xs">{stream.ssf.issuer}</code>).
            </p>
          ) : null}
          <RewindForm receivers={receivers.map((r) => r.name)} action={rewindAuditStreamAction} />
        </>
      )}
    </div>
  );
}
