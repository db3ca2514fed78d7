import type { Metadata } from 'next';
import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { noticeStore } from '@/lib/notify';
import { paths } from '@/lib/paths';
import { plural } from '@/lib/vocabulary';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { ButtonLink } from '@/components/ui/button';
import { Table, TableBody, TableHead, Td, Tr } from '@/components/ui/data-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { RelativeTime } from '@/components/ui/relative-time';
import { requireOutboxReader } from './access';

export const metadata: Metadata = { title: 'Outbox' };

const PAGE = 25;
const TONES: Record<string, BadgeTone> = { queued: 'blue', sending: 'amber', sent: 'green', failed: 'red' };

export default async function OutboxPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireOutboxReader();
  const raw = (await searchParams).offset;
  const offset = Math.min(
    Math.max(Number.parseInt(typeof raw === 'string' ? raw : '0', 10) || 0, 0),
    100_000,
  );
  const { rows, more } = await noticeStore(await getDb()).list(PAGE, offset);
  const { smtpUrl, localCatcher } = getEnv().notify;
  const where = localCatcher
    ? 'In local mode the console catches its own mail: nothing leaves this machine.'
    : smtpUrl
      ? 'Sent through the SMTP server set in SMTP_URL.'
      : 'No mail server is configured (SMTP_URL), so nothing can be sent.';

  return (
    <div className="space-y-4">
      <PageHeader
        title="Outbox"
        description={`Mail the console sent, or is sending, to users about what was done to their account. ${where} Times are UTC.`}
      />
      {rows.length === 0 ? (
        <EmptyState
          title="No mail yet"
          description="Mail appears here once a member chooses to tell the user."
        />
      ) : (
        <Table caption="Mail to users" focusable minWidth={900}>
          <TableHead labels={['Queued', 'To', 'Subject and message', 'Delivery']} />
          <TableBody>
            {rows.map((n) => (
              <Tr key={n.id}>
                <Td className="align-top">
                  <RelativeTime at={n.createdAt.getTime()} />
                </Td>
                <Td className="align-top break-all">{n.email}</Td>
                <Td className="align-top">
                  <details>
                    <summary className="cursor-pointer font-medium">{n.subject}</summary>
                    <p className="mt-2 text-sm whitespace-pre-wrap text-gray-800 dark:text-gray-200">
                      {n.text}
                    </p>
                  </details>
                </Td>
                <Td className="space-y-1 align-top">
                  <Badge tone={TONES[n.state] ?? 'neutral'}>{n.state}</Badge>
                  <p className="text-xs text-gray-600 dark:text-gray-400">
                    {plural(n.attempts, 'attempt')}
                    {n.sentAt ? (
                      <>
                        {', sent '}
                        <RelativeTime at={n.sentAt.getTime()} />
                      </>
                    ) : null}
                    {n.caught ? ', caught locally' : null}
                  </p>
                  {n.lastError && n.state !== 'sent' ? (
                    <p className="text-xs text-red-700 dark:text-red-400">Last error: {n.lastError}</p>
                  ) : null}
                  {n.state === 'queued' && n.attempts > 0 ? (
                    <p className="text-xs text-gray-600 dark:text-gray-400">
                      Next try <RelativeTime at={n.nextAttemptAt.getTime()} />
                    </p>
                  ) : null}
                </Td>
              </Tr>
            ))}
          </TableBody>
        </Table>
      )}
      <div className="flex gap-2">
        {offset > 0 ? (
          <ButtonLink href={paths.outbox({ offset: Math.max(offset - PAGE, 0) || undefined })}>
            Newer
          </ButtonLink>
        ) : null}
        {more ? <ButtonLink href={paths.outbox({ offset: offset + PAGE })}>Older</ButtonLink> : null}
      </div>
    </div>
  );
}
