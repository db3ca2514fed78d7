import { TokenForm } from './token-form';
import { formatLifetime } from './token-time';
import { tokenLifetimeLimit } from '@/lib/clerk';
import { Panel } from './panel';
import { userLabel } from '@/components/sessions/session-format';
import { attempt, loadTemplates, loadUser } from './data';
import { PanelError } from './panel-error';

/** Admins only, active sessions only: the page decides whether to render this at all (and the action re-checks). */
export async function TokenPanel({
  sessionId,
  userId,
  passwordStepUp,
  ssoFresh = false,
}: {
  sessionId: string;
  userId: string;
  passwordStepUp: boolean;
  ssoFresh?: boolean;
}) {
  const [templates, user] = await Promise.all([
    attempt(() => loadTemplates(), 'template', 'detail:templates'),
    attempt(() => loadUser(userId), 'user', 'detail:token-user'),
  ]);
  const maxLifetimeSeconds = tokenLifetimeLimit();
  let content: React.ReactNode;
  if (!templates.ok) content = <PanelError what="JWT templates" failure={templates.failure} />;
  else if (!templates.value.length)
    content = (
      <p className="text-sm text-gray-600 dark:text-gray-400">This Clerk instance has no JWT templates.</p>
    );
  else
    content = (
      <TokenForm
        sessionId={sessionId}
        templates={templates.value}
        userLabel={user.ok ? userLabel(user.value) : userId}
        passwordStepUp={passwordStepUp}
        ssoFresh={ssoFresh}
        maxLifetimeSeconds={maxLifetimeSeconds}
      />
    );
  return (
    <Panel
      title="Create a token"
      description={`Mint a JWT from a template for this session. It acts as the user and stays valid until it expires, even if this session is revoked: nothing can recall it, so tokens here last at most ${formatLifetime(maxLifetimeSeconds)}. Every token created is audited.`}
    >
      {content}
    </Panel>
  );
}
