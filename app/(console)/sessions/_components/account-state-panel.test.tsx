import { describe, expect, it, vi, beforeEach } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { AccountStateDto } from '@/lib/clerk/account';
import type { UserRisk } from '@/lib/risk/server';
import type { SessionDto } from '@/lib/clerk/dto';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { accountBadges, AccountStateView, type AccountStateSummary } from './account-state-view';

const account = vi.hoisted(() => ({ countActiveApiKeys: vi.fn(), readTrustedDevices: vi.fn() }));
vi.mock('@/lib/clerk/account', () => account);

const staffUndo = vi.hoisted(() => ({ kinds: [] as string[] }));
vi.mock('./secure-account-slot', () => ({
  undoableBy: async () => staffUndo.kinds,
  SecureAccountSlot: ({ userId }: { userId: string }) => <button>Secure {userId}</button>,
}));
vi.mock('./account-undo', () => ({
  AccountUndoButton: ({ kind }: { kind: string }) => <button data-undo={kind}>undo {kind}</button>,
}));

const { AccountStatePanel, readAccountExtras } = await import('./account-state-panel');

const READ_AT = Date.UTC(2026, 11, 7, 10, 0, 0);

const state = (extra: Partial<AccountStateDto> = {}): AccountStateDto => ({
  userId: 'user_ada',
  banned: false,
  locked: false,
  lockoutExpiresInSeconds: null,
  verificationAttemptsRemaining: 100,
  passwordEnabled: true,
  passwordCompromised: false,
  twoFactorEnabled: false,
  totpEnabled: false,
  backupCodeEnabled: false,
  mfaEnabledAt: null,
  mfaDisabledAt: null,
  ...extra,
});

const summary = (extra: Partial<AccountStateSummary> = {}): AccountStateSummary => ({
  state: state(),
  readAt: READ_AT,
  apiKeys: 0,
  trustedDevices: 0,
  pendingSessions: 0,
  failures: [],
  ...extra,
});

const texts = (s: AccountStateSummary) => accountBadges(s).map((b) => b.text);
const text = (html: string) => html.replace(/<[^>]+>/g, '');

describe('account state badges', () => {
  it('shows a user in good standing as MFA off with no keys or devices, and nothing alarming', () => {
    expect(texts(summary())).toEqual(['MFA off', '0 API keys (active)', '0 trusted devices']);
  });

  it('shows a ban, a lock with its expiry, a flagged password and MFA on', () => {
    const badges = accountBadges(
      summary({
        state: state({
          banned: true,
          locked: true,
          lockoutExpiresInSeconds: 3_600,
          passwordCompromised: true,
          twoFactorEnabled: true,
        }),
      }),
    );
    expect(badges.map((b) => [b.text, b.tone])).toEqual([
      ['Banned', 'red'],
      ['Locked until', 'amber'],
      ['Password marked compromised', 'amber'],
      ['MFA on', 'green'],
      ['0 API keys (active)', 'neutral'],
      ['0 trusted devices', 'neutral'],
    ]);
    expect(badges[1]!.lockedUntil).toBe(READ_AT + 3_600_000);
  });

  it('renders the lock expiry as an exact time with a relative one', () => {
    const html = renderToStaticMarkup(
      <AccountStateView
        summary={summary({ state: state({ locked: true, lockoutExpiresInSeconds: 7 * 86_400 }) })}
      />,
    );
    expect(text(html)).toContain('Locked until 2026-12-14 10:00');
    expect(html).toContain(`dateTime="${new Date(READ_AT + 7 * 86_400_000).toISOString()}"`);
  });

  it('shows a lock with no countdown as plain Locked', () => {
    expect(texts(summary({ state: state({ locked: true }) }))).toContain('Locked');
  });

  it('counts API keys and trusted devices', () => {
    expect(texts(summary({ apiKeys: 1, trustedDevices: 2 }))).toEqual(
      expect.arrayContaining(['1 API key (active)', '2 trusted devices']),
    );
  });

  it('names the reset-password task pending sessions wait on when the password is flagged', () => {
    expect(texts(summary({ state: state({ passwordCompromised: true }), pendingSessions: 1 }))).toContain(
      '1 session waits on: reset password',
    );
    expect(texts(summary({ pendingSessions: 2 }))).toContain('2 sessions pending (wait on a sign-in task)');
  });
});

const session = (id: string, status: SessionDto['status']): SessionDto => ({
  id,
  userId: 'user_ada',
  clientId: 'client_1',
  status,
  lastActiveAt: READ_AT,
  expireAt: READ_AT,
  abandonAt: READ_AT,
  createdAt: READ_AT,
  updatedAt: READ_AT,
  lastActiveOrganizationId: null,
  actor: null,
  latestActivity: null,
});

const risk = (sessions: SessionDto[]) =>
  Promise.resolve({ sessions, totalCount: sessions.length } as unknown as UserRisk);

describe('AccountStatePanel', () => {
  beforeEach(() => {
    account.countActiveApiKeys.mockReset();
    account.readTrustedDevices.mockReset();
    staffUndo.kinds = [];
  });

  it('offers each undo the member may do beside the state it undoes, and the secure button', async () => {
    account.countActiveApiKeys.mockResolvedValue(0);
    account.readTrustedDevices.mockResolvedValue([]);
    staffUndo.kinds = ['unlock', 'unset_compromised'];
    const html = renderToStaticMarkup(
      await AccountStatePanel({
        state: state({ banned: true, locked: true, passwordCompromised: true }),
        readAt: READ_AT,
        risk: risk([]),
      }),
    );
    expect(html).toContain('Secure user_ada');
    expect(html).not.toContain('data-undo="unban"');
    expect(html).toMatch(/Locked<\/span><button data-undo="unlock">/);
    expect(html).toMatch(/Password marked compromised<\/span><button data-undo="unset_compromised">/);
    staffUndo.kinds = ['unban', 'unlock', 'unset_compromised'];
    const clean = renderToStaticMarkup(
      await AccountStatePanel({ state: state(), readAt: READ_AT, risk: risk([]) }),
    );
    expect(clean).not.toContain('data-undo');
  });

  it('reads the key total, the devices, and counts pending sessions from the risk read', async () => {
    account.countActiveApiKeys.mockResolvedValue(4);
    account.readTrustedDevices.mockResolvedValue([{ id: 'td_1' }, { id: 'td_2' }]);
    const html = renderToStaticMarkup(
      await AccountStatePanel({
        state: state({ passwordCompromised: true }),
        readAt: READ_AT,
        risk: risk([session('sess_1', 'active'), session('sess_2', 'pending')]),
      }),
    );
    expect(account.countActiveApiKeys).toHaveBeenCalledWith('user_ada');
    expect(text(html)).toContain('4 API keys (active)');
    expect(text(html)).toContain('2 trusted devices');
    expect(text(html)).toContain('1 session waits on: reset password');
    expect(html).not.toContain('role="alert"');
  });

  it('shows a failed read as a plain message with the trace id, keeping what was read', async () => {
    account.countActiveApiKeys.mockRejectedValue(
      new ConsoleApiError({ kind: 'unavailable', userMessage: 'x', traceId: 'trace_abc123' }),
    );
    account.readTrustedDevices.mockResolvedValue([]);
    const html = renderToStaticMarkup(
      await AccountStatePanel({
        state: state({ banned: true }),
        readAt: READ_AT,
        risk: Promise.resolve(null),
      }),
    );
    expect(text(html)).toContain('Banned');
    expect(text(html)).toContain('0 trusted devices');
    expect(text(html)).not.toContain('API keys (active)');
    expect(text(html)).toContain('Could not be read just now: API keys, pending sessions.');
    expect(text(html)).toContain('Trace id: trace_abc123');
  });

  it('renders the reads the page started before the header, without asking again; a failure still shows', async () => {
    let keysAsked!: (v: unknown) => void;
    account.countActiveApiKeys.mockReturnValue(new Promise((r) => (keysAsked = r)));
    account.readTrustedDevices.mockRejectedValue(
      new ConsoleApiError({ kind: 'unavailable', userMessage: 'x', traceId: 'trace_dev1' }),
    );
    const extras = readAccountExtras('user_ada');
    expect(account.countActiveApiKeys).toHaveBeenCalledTimes(1);
    expect(account.readTrustedDevices).toHaveBeenCalledTimes(1);
    const panel = AccountStatePanel({ state: state(), readAt: READ_AT, risk: risk([]), extras });
    keysAsked(2);
    const html = renderToStaticMarkup(await panel);
    expect(account.countActiveApiKeys).toHaveBeenCalledTimes(1);
    expect(account.readTrustedDevices).toHaveBeenCalledTimes(1);
    expect(text(html)).toContain('2 API keys (active)');
    expect(text(html)).toContain('Could not be read just now: trusted devices.');
    expect(text(html)).toContain('Trace id: trace_dev1');
  });
});
