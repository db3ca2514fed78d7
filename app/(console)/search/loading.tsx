import { PageSkeleton } from '@/components/ui/skeleton';

export default function SearchLoading() {
  return <PageSkeleton rows={6} columns={4} label="search results" />;
}
