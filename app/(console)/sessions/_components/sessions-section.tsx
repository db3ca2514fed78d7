import { notFound } from 'next/navigation';
import type { SessionsPage } from '@/lib/queries/sessions-page';
import type { SessionsQuery } from '@/lib/queries/sessions-query';
import { pageRead } from '../../_components/page-read';
import { SessionsView, type SessionsSubject } from './sessions-view';

export async function SessionsSection({
  list,
  query,
  canRevoke,
  subject,
}: {
  list: Promise<SessionsPage>;
  query: SessionsQuery;
  canRevoke: boolean;
  subject: SessionsSubject;
}) {
  const page = await pageRead(list);
  if (!page.ok) notFound();
  return <SessionsView query={query} initial={page.value} canRevoke={canRevoke} subject={subject} />;
}
