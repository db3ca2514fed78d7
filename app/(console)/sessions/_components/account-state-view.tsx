import type { ReactNode } from 'react';
import type { AccountStateDto } from '@/lib/clerk/account';
import type { UndoKind } from '@/lib/account/steps';
import { Alert } from '@/components/ui/alert';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { RelativeTime } from '@/components/ui/relative-time';
import { formatExact } from '@/components/ui/time-format';
import { plural } from '@/lib/vocabulary';
import { AccountUndoButton } from './account-undo';

export interface AccountStateSummary {
  state: AccountStateDto;
  readAt: number;
  apiKeys: number | null;
  trustedDevices: number | null;
  pendingSessions: number | null;
  failures: { what: string; traceId: string | null }[];
}

export interface AccountBadge {
  key: string;
  tone: BadgeTone;
  text: string;
  lockedUntil?: number;
  undo?: UndoKind;
}

/** Clerk's SDK returns no session tasks; a flagged password is what makes Clerk create pending sessions. */
function pendingText(count: number, passwordCompromised: boolean): string {
  const waits = count === 1 ? 'waits' : 'wait';
  return passwordCompromised
    ? `${plural(count, 'session')} ${waits} on: reset password`
    : `${plural(count, 'session')} pending (${waits} on a sign-in task)`;
}

export function accountBadges(s: AccountStateSummary): AccountBadge[] {
  const { state } = s;
  const badges: AccountBadge[] = [];
  if (state.banned) badges.push({ key: 'banned', tone: 'red', text: 'Banned', undo: 'unban' });
  if (state.locked)
    badges.push(
      state.lockoutExpiresInSeconds === null
        ? { key: 'locked', tone: 'amber', text: 'Locked', undo: 'unlock' }
        : {
            key: 'locked',
            tone: 'amber',
            text: 'Locked until',
            lockedUntil: s.readAt + state.lockoutExpiresInSeconds * 1000,
            undo: 'unlock',
          },
    );
  if (state.passwordCompromised)
    badges.push({
      key: 'compromised',
      tone: 'amber',
      text: 'Password marked compromised',
      undo: 'unset_compromised',
    });
  badges.push(
    state.twoFactorEnabled
      ? { key: 'mfa', tone: 'green', text: 'MFA on' }
      : { key: 'mfa', tone: 'neutral', text: 'MFA off' },
  );
  if (s.apiKeys !== null)
    badges.push({ key: 'api-keys', tone: 'neutral', text: `${plural(s.apiKeys, 'API key')} (active)` });
  if (s.trustedDevices !== null)
    badges.push({ key: 'devices', tone: 'neutral', text: plural(s.trustedDevices, 'trusted device') });
  if (s.pendingSessions)
    badges.push({
      key: 'pending',
      tone: 'blue',
      text: pendingText(s.pendingSessions, state.passwordCompromised),
    });
  return badges;
}

export function AccountStateView({
  summary,
  undo = [],
  secure = null,
}: {
  summary: AccountStateSummary;
  /** The undos this staff member may do, offered beside the state they undo. */
  undo?: readonly UndoKind[];
  secure?: ReactNode;
}) {
  const traceId = summary.failures.find((f) => f.traceId)?.traceId ?? null;
  return (
    <section aria-labelledby="account-state-heading" className="space-y-2" data-testid="account-state">
      <div className="flex flex-wrap items-center gap-3">
        <h2 id="account-state-heading" className="text-sm font-semibold">
          Account state
        </h2>
        {secure}
      </div>
      <ul className="flex flex-wrap items-center gap-2">
        {accountBadges(summary).map((b) => (
          <li key={b.key} className="flex items-center gap-1">
            <Badge tone={b.tone}>
              {b.text}
              {b.lockedUntil !== undefined ? (
                <>
                  {' '}
                  {formatExact(b.lockedUntil)} (<RelativeTime at={b.lockedUntil} />)
                </>
              ) : null}
            </Badge>
            {b.undo && undo.includes(b.undo) ? (
              <AccountUndoButton kind={b.undo} userId={summary.state.userId} />
            ) : null}
          </li>
        ))}
      </ul>
      {summary.failures.length ? (
        <Alert tone="warning" role={null} traceId={traceId}>
          Could not be read just now: {summary.failures.map((f) => f.what).join(', ')}. The rest of the page
          is unaffected.
        </Alert>
      ) : null}
    </section>
  );
}
