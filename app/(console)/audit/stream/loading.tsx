import { PageSkeleton } from '@/components/ui/skeleton';

export default function AuditStreamLoading() {
  return <PageSkeleton rows={3} columns={6} label="receivers" />;
}
