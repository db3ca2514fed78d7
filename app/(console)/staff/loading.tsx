import { PageSkeleton } from '@/components/ui/skeleton';

export default function StaffLoading() {
  return <PageSkeleton rows={6} columns={5} label="staff members" />;
}
