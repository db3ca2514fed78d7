import { redirect } from 'next/navigation';
import { requireStaffPage } from '@/lib/auth/require-staff';
import { classifySearch, findUsers, type UserDto } from '@/lib/clerk';
import { paths } from '@/lib/paths';
import { cidrRange } from '@/lib/session-index/ip';
import { searchHref } from '@/lib/session-index/search-link';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const digits = (phone: string) => `${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}`;

async function exactUser(target: { kind: 'email' | 'phone'; value: string }): Promise<UserDto | null> {
  try {
    const page = await findUsers(target.value, { limit: 2, offset: 0 });
    const [user] = page.data;
    if (page.totalCount !== 1 || !user) return null;
    const exact =
      target.kind === 'email'
        ? user.primaryEmail?.toLowerCase() === target.value
        : user.primaryPhone !== null && digits(user.primaryPhone) === target.value;
    return exact ? user : null;
  } catch {
    return null;
  }
}

/** Where the global search box lands. */
export default async function SearchPage({ searchParams }: { searchParams: SearchParams }) {
  await requireStaffPage('users:read', 'page:/search');
  const raw = (await searchParams).q;
  const q = (Array.isArray(raw) ? raw[0] : raw) ?? '';
  if (q.trim() && cidrRange(q)) redirect(searchHref({ ip: q.trim() }));
  const target = classifySearch(q);
  if (!target) redirect(paths.users(q.trim() ? q.slice(0, 256) : undefined));
  switch (target.kind) {
    case 'session':
      redirect(paths.session(target.id));
    case 'user':
      redirect(paths.userSessions(target.id));
    case 'client':
      redirect(paths.clientSessions(target.id));
    case 'email':
    case 'phone': {
      const user = await exactUser({ kind: target.kind, value: target.value });
      redirect(user ? paths.userSessions(user.id) : paths.users(q.trim()));
    }
    default:
      redirect(paths.users(q.trim()));
  }
}
