'use client';

import dynamic from 'next/dynamic';
import { useState, type ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  /** The dialog's accessible name (rendered as its heading). */
  title: ReactNode;
  /** Read out with the title; say what will happen. */
  description?: ReactNode;
  children?: ReactNode;
  /** Stop Escape / outside click from closing it (e.g. while a request is in flight). */
  dismissible?: boolean;
  /** Where focus goes on close when the element that opened the dialog is gone (e.g. its row changed). */
  fallbackFocus?: () => HTMLElement | null | undefined;
  className?: string;
}

// Radix (focus trap, scroll lock, portal) is loaded the first time a dialog opens, not with every page.
const RadixDialogView = dynamic(() => import('./radix-dialog').then((m) => m.RadixDialogView), {
  ssr: false,
});

/**
 * A modal dialog on Radix: focus moves in and is trapped, Escape and an outside click close it (unless
 * `dismissible` is false), focus returns to the element that had it before opening (when it still exists).
 * Controlled: pass `open`/`onOpenChange`. Nothing is rendered (or downloaded) until it first opens.
 */
export function Dialog(props: DialogProps) {
  const [opened, setOpened] = useState(props.open);
  if (props.open && !opened) setOpened(true);
  return opened ? <RadixDialogView {...props} /> : null;
}
