import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/shell/not-found-message';

export const metadata: Metadata = { title: 'Not found' };

export default function ConsoleNotFound() {
  return (
    <div className="flex items-center justify-center px-4 py-12">
      <NotFoundMessage />
    </div>
  );
}
