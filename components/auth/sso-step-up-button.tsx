'use client';

import { useTransition } from 'react';
import { stepUpWithSsoAction } from '@/app/(console)/actions';
import { Button } from '@/components/ui/button';

/**
 * For SSO staff: goes to the identity provider, which must ask for the password again, and comes back to this
 * page. A sensitive action is then allowed for 5 minutes.
 */
export function SsoStepUpButton({ fresh }: { fresh: boolean }) {
  const [pending, startTransition] = useTransition();
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
          onClick={() =>
            startTransition(async () => {
              await stepUpWithSsoAction({
                callbackUrl: `${window.location.pathname}${window.location.search}`,
              });
            })
          }
        >
          Re-authenticate with single sign-on
        </Button>
      )}
    </div>
  );
}
