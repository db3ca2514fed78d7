import { PageSkeleton } from '@/components/ui/skeleton';

export default function SessionSearchLoading() {
  return <PageSkeleton rows={8} columns={8} label="matching sessions" />;
}
