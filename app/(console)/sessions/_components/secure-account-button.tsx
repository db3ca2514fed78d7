'use client';

import dynamic from 'next/dynamic';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import type { SecureAccountProps } from './secure-account-dialog';

// Loaded on the first click: the page's first-load JavaScript stays within its budget.
const SecureAccountDialog = dynamic(
  () => import('./secure-account-dialog').then((m) => m.SecureAccountDialog),
  {
    ssr: false,
  },
);

export function SecureAccountButton(props: SecureAccountProps) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [opened, setOpened] = useState(false);
  const [started, setStarted] = useState(false);
  return (
    <>
      <Button
        variant="danger"
        size="sm"
        onClick={() => {
          setOpened(true);
          setOpen(true);
        }}
      >
        Secure this account
      </Button>
      {opened && (
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
      )}
    </>
  );
}
