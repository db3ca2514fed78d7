'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { SecureAccountDialog, type SecureAccountProps } from './secure-account-dialog';

export function SecureAccountButton(props: SecureAccountProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [started, setStarted] = useState(false);
  return (
    <>
      <Button variant="danger" size="sm" onClick={() => setOpen(true)}>
        Secure this account
      </Button>
      <SecureAccountDialog
        {...props}
        open={open}
        onStarted={() => setStarted(true)}
        onOpenChange={(next) => {
          setOpen(next);
          // The account state on the page is from before the job: read it again once the dialog closes.
          if (!next && started) {
            setStarted(false);
            router.refresh();
          }
        }}
      />
    </>
  );
}
