import { Alert } from '@/components/ui/alert';
import { ButtonLink } from '@/components/ui/button';
import { paths } from '@/lib/paths';

export function InvalidQuery({ errors }: { errors: string[] }) {
  return (
    <div className="max-w-2xl space-y-4">
      <h1 className="text-xl font-semibold">Sessions</h1>
      <Alert tone="error" title="This link can’t be opened">
        <ul className="list-inside list-disc">
          {errors.map((e) => (
            <li key={e}>{e}</li>
          ))}
        </ul>
      </Alert>
      <p className="text-sm text-gray-700 dark:text-gray-300">
        Sessions are listed for one user (<code>?user_id=user_…</code>) or one client (
        <code>?client_id=client_…</code>). Find the person first.
      </p>
      <ButtonLink href={paths.users()}>Find a user</ButtonLink>
    </div>
  );
}
