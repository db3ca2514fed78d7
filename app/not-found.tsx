import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/shell/not-found-message';

export const metadata: Metadata = { title: 'Not found' };

export default function NotFound() {
  return (
    <main id="main" className="flex min-h-screen items-center justify-center p-4">
      <NotFoundMessage />
    </main>
  );
}
