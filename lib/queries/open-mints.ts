import { queryOptions } from '@tanstack/react-query';
import type { OpenMint } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';
import { getJson } from './get-json';

export interface OpenMintsPayload {
  mints: OpenMint[];
  fetchedAt: number;
}

export const openMintsQuery = (userId: string) =>
  queryOptions({
    queryKey: ['open-mints', userId] as const,
    queryFn: ({ signal }) => getJson<OpenMintsPayload>(paths.api.openMints(userId), { signal }),
  });
