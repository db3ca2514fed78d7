import { redirect } from 'next/navigation';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { classifySearch } from '@/lib/clerk';
import { hrefWith } from '@/components/ui/paging';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/**
 * Where the global search box lands: an id goes straight to its view (session → detail, user → their sessions,
 * client → its sessions); anything else is a user search. Nothing is fetched here.
 */
export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffPage('users:read', 'page:/search');
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  const target = classifySearch(q);
  if (!target) redirect(q.trim() ? hrefWith('/users', { query: q.slice(0, 256) }) : '/users');
  switch (target.kind) {
    case 'session':
      redirect(`/sessions/${encodeURIComponent(target.id)}`);
    case 'user':
      redirect(hrefWith('/sessions', { user_id: target.id }));
    case 'client':
      redirect(hrefWith('/sessions', { client_id: target.id }));
    default:
      redirect(hrefWith('/users', { query: q.trim() }));
  }
}
