import Link from 'next/link';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { OutcomeBadge } from '@/components/audit/outcome-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { sessionDetailHref, userSessionsHref } from '@/components/sessions/sessions-query';

const SHOWN = 8;

/** The signed-in staff member's own latest actions (their own rows only, whatever their role). */
export async function MyActionsPanel({ email }: { email: string }) {
  const { rows } = await auditLog(await getDb()).list({ actor: email, limit: SHOWN, offset: 0 });
  return (
    <section aria-labelledby="my-actions-heading" className="space-y-2">
      <h2 id="my-actions-heading" className="text-base font-semibold">
        Your recent actions
      </h2>
      {rows.length === 0 ? (
        <p className="text-sm text-gray-600 dark:text-gray-400">Nothing yet.</p>
      ) : (
        <ul className="space-y-1 text-sm" data-testid="my-actions">
          {rows.map((r) => (
            <li key={r.id} className="flex flex-wrap items-center gap-2">
              <OutcomeBadge outcome={r.outcome} />
              <code className="text-xs">{r.action}</code>
              {r.target.sessionId ? (
                <Link
                  href={sessionDetailHref(r.target.sessionId)}
                  className="font-mono text-xs text-blue-700 underline-offset-2 hover:underline dark:text-blue-300"
                >
                  {r.target.sessionId}
                </Link>
              ) : r.target.userId ? (
                <Link
                  href={userSessionsHref(r.target.userId)}
                  className="font-mono text-xs text-blue-700 underline-offset-2 hover:underline dark:text-blue-300"
                >
                  {r.target.userId}
                </Link>
              ) : null}
              <span className="text-xs text-gray-600 dark:text-gray-400">
                <RelativeTime at={r.at.getTime()} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
