// Client-safe: the steps Clerk lets the console take back, their labels and who may take them.
import type { Permission } from '@/lib/vocabulary';

export const UNDO = {
  unban: { label: 'Unban', permission: 'account:ban', done: 'User unbanned: they can sign in again.' },
  unlock: { label: 'Unlock', permission: 'account:lock', done: 'Account unlocked: they can sign in again.' },
  unset_compromised: {
    label: 'Clear the compromised flag',
    permission: 'account:password_compromised',
    done: 'The password is no longer marked compromised.',
  },
} as const satisfies Record<string, { label: string; permission: Permission; done: string }>;
export type UndoKind = keyof typeof UNDO;
