import type { SessionDto } from '@/lib/clerk/dto';
import { detailActivity } from '@/lib/sessions/detail-activity';
import { LatestActivity } from './latest-activity';

const NOTES = {
  index: 'Clerk’s answer for this session had no activity: shown from the session index.',
  list: 'Clerk’s answer for this session had no activity: shown from the user’s session list.',
} as const;

export async function DetailActivity({ session }: { session: SessionDto }) {
  const { activity, source } = await detailActivity(session);
  return (
    <div className="space-y-2">
      <LatestActivity activity={activity} />
      {source === 'index' || source === 'list' ? (
        <p className="text-xs text-gray-600 dark:text-gray-400" data-testid="activity-source">
          {NOTES[source]}
        </p>
      ) : null}
    </div>
  );
}
