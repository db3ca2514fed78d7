import { TextLink } from '@/components/ui/text-link';
import { IdText } from '@/components/ui/id-text';
import { ClientSessions } from './client-sessions';
import { Panel } from './panel';
import { attempt, loadClient } from './data';
import { PanelError } from './panel-error';
import { paths } from '@/lib/paths';

export async function ClientPanel({ clientId, sessionId }: { clientId: string; sessionId: string }) {
  const client = await attempt(() => loadClient(clientId), 'client', 'detail:client');
  return (
    <Panel
      title="Client"
      description={
        <span className="flex flex-wrap items-center gap-x-3">
          <span>The browser or device this session belongs to, and its other sessions.</span>
          <IdText id={clientId} label="client id" />
        </span>
      }
      actions={
        <TextLink href={paths.clientSessions(clientId, { status: 'all' })} className="text-sm font-medium">
          All sessions of this client
        </TextLink>
      }
    >
      {client.ok ? (
        <ClientSessions sessions={client.value.sessions} currentId={sessionId} />
      ) : (
        <PanelError what="client" failure={client.failure} />
      )}
    </Panel>
  );
}
