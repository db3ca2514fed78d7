import { Panel } from './panel';
import { UserSummary } from './user-summary';
import { attempt, loadUser } from './data';
import { PanelError } from './panel-error';

export async function UserPanel({ userId }: { userId: string }) {
  const user = await attempt(() => loadUser(userId), 'user', 'detail:user');
  return (
    <Panel title="User">
      {user.ok ? <UserSummary user={user.value} /> : <PanelError what="user" failure={user.failure} />}
    </Panel>
  );
}
