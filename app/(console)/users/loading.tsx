import { PageSkeleton } from '@/components/ui/skeleton';

export default function UsersLoading() {
  return <PageSkeleton rows={8} columns={4} label="users" />;
}
