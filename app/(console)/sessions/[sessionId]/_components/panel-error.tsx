import { Alert } from '@/components/ui/alert';
import type { PanelFailure } from './data';

export function PanelError({ what, failure }: { what: string; failure: PanelFailure }) {
  return (
    <Alert tone="error" title={`The ${what} could not be loaded.`} traceId={failure.traceId}>
      {failure.message}
    </Alert>
  );
}
