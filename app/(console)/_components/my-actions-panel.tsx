import { TextLink } from '@/components/ui/text-link';
import { auditLog } from '@/lib/audit';
import { getDb } from '@/lib/db';
import { OutcomeBadge } from '@/components/audit/outcome-badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { paths } from '@/lib/paths';

const SHOWN = 8;
const EVER = new Date(0);
const NEVER = new Date('9999-12-31T00:00:00.000Z');

export async function MyActionsPanel({ email }: { email: string }) {
  const { rows } = await auditLog(await getDb()).exportPage(
    { actor: email, from: EVER, to: NEVER },
    null,
    SHOWN,
  );
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
                <TextLink href={paths.session(r.target.sessionId)} className="font-mono text-xs">
                  {r.target.sessionId}
                </TextLink>
              ) : r.target.userId ? (
                <TextLink href={paths.userSessions(r.target.userId)} className="font-mono text-xs">
                  {r.target.userId}
                </TextLink>
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
