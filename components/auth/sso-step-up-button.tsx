'use client';

import type { ActionResult } from '@/lib/vocabulary';
import { useConsoleAction } from '@/components/forms/use-console-action';
import { Button } from '@/components/ui/button';

/** The identity provider must ask for the password again; a sensitive action is then allowed for 5 minutes. */
export function SsoStepUpButton({
  fresh,
  action,
}: {
  fresh: boolean;
  action: (input: { callbackUrl?: string }) => Promise<unknown>;
}) {
  // Success is a redirect to the identity provider; a refusal has nothing to show beyond the button.
  const { run, pending } = useConsoleAction(
    action as (input: { callbackUrl?: string }) => Promise<ActionResult<unknown>>,
  );
  return (
    <div className="space-y-1 text-sm text-gray-600 dark:text-gray-400">
      <p>
        {fresh
          ? 'You re-authenticated with single sign-on in the last 5 minutes.'
          : 'Single sign-on accounts confirm by re-authenticating with the identity provider.'}
      </p>
      {fresh ? null : (
        <Button
          size="sm"
          disabled={pending}
          onClick={() => void run({ callbackUrl: `${window.location.pathname}${window.location.search}` })}
        >
          Re-authenticate with single sign-on
        </Button>
      )}
    </div>
  );
}
