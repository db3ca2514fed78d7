'use client';

import * as RadixDialog from '@radix-ui/react-dialog';
import { useRef } from 'react';
import { cn } from './cn';
import type { DialogProps } from './dialog-props';

export function RadixDialogView({
  open,
  onOpenChange,
  title,
  description,
  children,
  dismissible = true,
  fallbackFocus,
  className,
}: DialogProps) {
  // Without a Radix Trigger, Radix would send focus to <body> on close: return it to whatever opened the dialog.
  const returnFocus = useRef<HTMLElement | null>(null);
  return (
    <RadixDialog.Root
      open={open}
      onOpenChange={(next) => (dismissible || next ? onOpenChange(next) : undefined)}
    >
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-gray-950/50" />
        <RadixDialog.Content
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={() => {
            returnFocus.current =
              document.activeElement instanceof HTMLElement ? document.activeElement : null;
          }}
          onCloseAutoFocus={(e) => {
            const previous = returnFocus.current;
            returnFocus.current = null;
            const el = previous?.isConnected ? previous : fallbackFocus?.();
            if (el?.isConnected) {
              e.preventDefault();
              el.focus();
            }
          }}
          onEscapeKeyDown={(e) => (dismissible ? undefined : e.preventDefault())}
          onPointerDownOutside={(e) => (dismissible ? undefined : e.preventDefault())}
          className={cn(
            'fixed top-1/2 left-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-xl border border-gray-200 bg-white p-5 shadow-xl dark:border-gray-800 dark:bg-gray-900',
            className,
          )}
        >
          <RadixDialog.Title className="pr-8 text-lg font-semibold">{title}</RadixDialog.Title>
          {description ? (
            <RadixDialog.Description className="mt-1 text-sm text-gray-700 dark:text-gray-300">
              {description}
            </RadixDialog.Description>
          ) : null}
          <div className="mt-4">{children}</div>
          {dismissible ? (
            <RadixDialog.Close
              aria-label="Close"
              className="absolute top-3 right-3 inline-flex h-8 w-8 items-center justify-center rounded-md text-gray-600 hover:bg-gray-100 dark:text-gray-400 dark:hover:bg-gray-800"
            >
              <svg
                aria-hidden="true"
                viewBox="0 0 16 16"
                className="h-4 w-4"
                fill="none"
                stroke="currentColor"
                strokeWidth="2"
              >
                <path d="M4 4l8 8M12 4l-8 8" />
              </svg>
            </RadixDialog.Close>
          ) : null}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
