import { describe, expect, it } from 'vitest';
import { leftAsIs, mergeCounts, previewStep, type SecureCounts } from './preview';
import { canTakeStep, defaultSteps, SECURE_STEPS } from './steps';

const counts = (extra: Partial<SecureCounts> = {}): SecureCounts => ({
  sessions: 3,
  apiKeys: 2,
  trustedDevices: 1,
  banned: false,
  locked: false,
  passwordCompromised: false,
  passwordEnabled: true,
  mfaEnabled: true,
  ...extra,
});

describe('who may take which step', () => {
  it('gives support sign-out, lock and the password flag, and an admin every step', () => {
    expect(SECURE_STEPS.filter((s) => canTakeStep('support', s))).toEqual([
      'sign_out_all',
      'password_compromised',
      'lock',
    ]);
    expect(SECURE_STEPS.filter((s) => canTakeStep('admin', s))).toEqual([...SECURE_STEPS]);
    expect(SECURE_STEPS.filter((s) => canTakeStep('viewer', s))).toEqual([]);
  });

  it('checks sign out everywhere and the compromised password by default, where the role may', () => {
    expect(defaultSteps('support')).toEqual(['sign_out_all', 'password_compromised']);
    expect(defaultSteps('admin')).toEqual(['sign_out_all', 'password_compromised']);
    expect(defaultSteps('viewer')).toEqual([]);
  });
});

describe('the dry run in words', () => {
  it('counts what each step will change', () => {
    const c = counts();
    expect(SECURE_STEPS.map((s) => previewStep(s, c).text)).toEqual([
      'Signs out 3 active sessions.',
      'Flags the password.',
      'Locks the account.',
      'Bans the user.',
      'Revokes 2 active API keys.',
      'Revokes 1 trusted device.',
      'Removes the second factors.',
    ]);
  });

  it('says when a step has nothing to do', () => {
    const c = counts({
      sessions: 0,
      apiKeys: 0,
      trustedDevices: 0,
      banned: true,
      locked: true,
      passwordCompromised: true,
      mfaEnabled: false,
    });
    expect(SECURE_STEPS.every((s) => previewStep(s, c).noop)).toBe(true);
    expect(previewStep('password_compromised', counts({ passwordEnabled: false })).text).toBe(
      'This user has no password.',
    );
  });

  it('lists what stays as it is for the steps not chosen', () => {
    expect(leftAsIs(['sign_out_all', 'password_compromised'], counts())).toEqual([
      '2 active API keys still work.',
      '1 trusted device still skips the second factor.',
      'The second factors were kept (MFA not reset).',
    ]);
    expect(leftAsIs(['lock'], counts({ apiKeys: null, trustedDevices: 0, mfaEnabled: false }))).toEqual([
      'Sessions were not signed out.',
      'The password still works: it was not marked compromised.',
    ]);
    expect(leftAsIs([...SECURE_STEPS], counts())).toEqual([]);
  });

  it("keeps the page's counts where the dry run made none", () => {
    const merged = mergeCounts(counts({ sessions: null }), counts({ apiKeys: null, sessions: 5 }));
    expect(merged).toMatchObject({ sessions: 5, apiKeys: 2 });
    expect(mergeCounts(null, counts())).toEqual(counts());
  });
});
