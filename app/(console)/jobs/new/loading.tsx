import { PanelPageSkeleton } from '@/components/ui/panel-page-skeleton';

export default function NewIncidentJobLoading() {
  return <PanelPageSkeleton size="form" />;
}
