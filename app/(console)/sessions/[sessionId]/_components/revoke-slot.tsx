import type { SessionDto } from '@/lib/clerk/dto';
import { userLabel } from '@/components/sessions/session-format';
import { Button } from '@/components/ui/button';
import { loadUser } from './data';
import { KeepOnlyControl } from './keep-only-control';
import { RevokeControl } from './revoke-control';

export async function RevokeSlot({ session }: { session: SessionDto }) {
  const label = await loadUser(session.userId).then(userLabel, () => session.userId);
  return (
    <div className="flex flex-wrap items-start gap-2">
      <KeepOnlyControl session={session} userLabel={label} />
      <RevokeControl session={session} userLabel={label} />
    </div>
  );
}

export function RevokeSlotFallback({ active }: { active: boolean }) {
  if (!active) return null;
  return (
    <Button variant="danger" disabled>
      Revoke session
    </Button>
  );
}
