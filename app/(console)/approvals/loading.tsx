import { PanelPageSkeleton } from '@/components/ui/panel-page-skeleton';

export default function ApprovalsLoading() {
  return <PanelPageSkeleton />;
}
