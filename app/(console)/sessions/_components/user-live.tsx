import { getEnv } from '@/lib/env';
import { paths } from '@/lib/paths';
import { NewSessionsNoticeLazy as NewSessionsNotice } from '@/components/sessions/new-sessions-lazy';
import { TextLink } from '@/components/ui/text-link';

const renderedAt = () => Date.now();

/** With the session index fed by Clerk's webhooks: the user's timeline, and new sessions as they arrive. */
export function UserLive({ userId }: { userId: string }) {
  if (!getEnv().webhooks.signingSecret) return null;
  return (
    <div className="space-y-2">
      <TextLink href={paths.userTimeline(userId)} className="text-sm font-medium">
        Timeline of this user’s sessions
      </TextLink>
      <NewSessionsNotice userId={userId} since={renderedAt()} />
    </div>
  );
}
