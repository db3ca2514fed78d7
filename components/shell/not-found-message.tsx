import { Link } from '@/components/ui/link';
import { paths } from '@/lib/paths';

export function NotFoundMessage() {
  return (
    <div className="w-full max-w-md space-y-3 rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
      <p className="text-sm font-semibold text-gray-600 dark:text-gray-400">404</p>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-sm text-gray-700 dark:text-gray-300">
        There is nothing at this address, or the user, session or client it names does not exist (any more).
      </p>
      <Link
        href={paths.users()}
        className="inline-block rounded-md bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800"
      >
        Back to Users
      </Link>
    </div>
  );
}
