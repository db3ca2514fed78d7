import type { Metadata } from 'next';
import { Link } from '@/components/ui/link';
import { getCurrentStaff } from '@/lib/auth/require-staff';
import { paths } from '@/lib/paths';

export const metadata: Metadata = { title: 'No access' };

export default async function Forbidden() {
  const staff = await getCurrentStaff();
  return (
    <div className="flex items-center justify-center px-4 py-12">
      <div className="w-full max-w-md space-y-3 rounded-xl border border-gray-200 bg-white p-6 shadow-sm dark:border-gray-800 dark:bg-gray-900">
        <p className="text-sm font-semibold text-gray-600 dark:text-gray-400">403</p>
        <h1 className="text-xl font-semibold">{"You don't have access to this page"}</h1>
        <p className="text-sm text-gray-700 dark:text-gray-300">
          {staff ? (
            <>
              You are signed in as <span className="font-medium">{staff.email}</span> with the role{' '}
              <span className="font-semibold">{staff.role}</span>, which does not include this page. Ask an
              administrator if you need it.
            </>
          ) : (
            'Your role does not include this page.'
          )}
        </p>
        <Link
          href={paths.users()}
          className="inline-block rounded-md bg-blue-700 px-3 py-2 text-sm font-semibold text-white hover:bg-blue-800"
        >
          Back to Users
        </Link>
      </div>
    </div>
  );
}
