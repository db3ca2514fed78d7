import { ConsoleApiError } from '@/lib/clerk';
import {
  countActiveApiKeys,
  readTrustedDevices,
  type AccountStateDto,
  type TrustedDeviceDto,
} from '@/lib/clerk/account';
import type { UserRisk } from '@/lib/risk/server';
import { Skeleton } from '@/components/ui/skeleton';
import { AccountStateView, type AccountStateSummary } from './account-state-view';
import { knownCounts } from '@/lib/account/preview';
import { SecureAccountSlot, undoableBy } from './secure-account-slot';

type Failure = AccountStateSummary['failures'][number];

async function settle<T>(what: string, read: Promise<T>, failures: Failure[]): Promise<T | null> {
  try {
    return await read;
  } catch (e) {
    failures.push({ what, traceId: e instanceof ConsoleApiError ? e.traceId : null });
    return null;
  }
}

export interface AccountExtras {
  keys: Promise<number | null>;
  devices: Promise<TrustedDeviceDto[] | null>;
  failures: Failure[];
}

/** Started by the page beside the header and the list, so these two reads do not wait for the header. */
export function readAccountExtras(userId: string): AccountExtras {
  const failures: Failure[] = [];
  return {
    keys: settle('API keys', countActiveApiKeys(userId), failures),
    devices: settle('trusted devices', readTrustedDevices(userId), failures),
    failures,
  };
}

export async function AccountStatePanel({
  state,
  readAt,
  risk,
  extras = readAccountExtras(state.userId),
}: {
  state: AccountStateDto;
  readAt: number;
  risk: Promise<UserRisk | null>;
  extras?: AccountExtras;
}) {
  const [keys, devices, userRisk] = await Promise.all([extras.keys, extras.devices, risk]);
  const failures = [...extras.failures];
  if (!userRisk) failures.push({ what: 'pending sessions', traceId: null });
  const summary: AccountStateSummary = {
    state,
    readAt,
    apiKeys: keys,
    trustedDevices: devices ? devices.length : null,
    pendingSessions: userRisk ? userRisk.sessions.filter((s) => s.status === 'pending').length : null,
    failures,
  };
  const known = knownCounts(state, { apiKeys: summary.apiKeys, trustedDevices: summary.trustedDevices });
  return (
    <AccountStateView
      summary={summary}
      undo={await undoableBy()}
      secure={<SecureAccountSlot userId={state.userId} known={known} />}
    />
  );
}

export function AccountStateSkeleton() {
  return (
    <div className="space-y-2" role="status" aria-label="Loading account state">
      <p className="text-sm font-semibold">Account state</p>
      <Skeleton className="h-5 w-96 max-w-full" />
    </div>
  );
}
