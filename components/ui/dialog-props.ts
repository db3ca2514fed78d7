import type { ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  dismissible?: boolean;
  fallbackFocus?: () => HTMLElement | null | undefined;
  className?: string;
}
