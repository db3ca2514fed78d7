'use client';

import dynamic from 'next/dynamic';
import { useState } from 'react';
import type { DialogProps } from './dialog-props';

// Radix (focus trap, scroll lock, portal) is loaded the first time a dialog opens, not with every page.
const RadixDialogView = dynamic(() => import('./radix-dialog').then((m) => m.RadixDialogView), {
  ssr: false,
});

/** Nothing is rendered (or downloaded) until it first opens. */
export function Dialog(props: DialogProps) {
  const [opened, setOpened] = useState(props.open);
  if (props.open && !opened) setOpened(true);
  return opened ? <RadixDialogView {...props} /> : null;
}
