import type { Metadata } from 'next';
import { NotFoundMessage } from '@/components/shell/not-found-message';

export const metadata: Metadata = { title: 'Not found' };

/** notFound() from a console page (an unknown user or client id): shown inside the shell, which owns <main>. */
export default function ConsoleNotFound() {
  return (
    <div className="flex items-center justify-center px-4 py-12">
      <NotFoundMessage />
    </div>
  );
}
