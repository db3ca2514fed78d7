import { describe, expect, it } from 'vitest';
import {
  expiryInputProblem,
  formatCountdown,
  formatLifetime,
  secondsRemaining,
  tokenClockFromClaims,
} from './token-time';

describe('formatLifetime (template select labels)', () => {
  it.each([
    [60, '1 min'],
    [3600, '1 h'],
    [300, '5 min'],
    [86400, '1 d'],
    [45, '45 s'],
    [5400, '1 h 30 min'],
    [90061, '1 d 1 h 1 min'],
  ])('%i s → %s', (seconds, label) => {
    expect(formatLifetime(seconds)).toBe(label);
  });

  it('does not invent a figure for a missing or nonsensical lifetime', () => {
    expect(formatLifetime(0)).toBe('unknown lifetime');
    expect(formatLifetime(-5)).toBe('unknown lifetime');
    expect(formatLifetime(Number.NaN)).toBe('unknown lifetime');
  });
});

describe('tokenClockFromClaims', () => {
  it('reads exp and iat', () => {
    expect(tokenClockFromClaims({ exp: 2000, iat: 1000 }, 5)).toEqual({
      exp: 2000,
      iat: 1000,
      receivedAtMs: 5,
    });
  });
  it('returns null without a numeric exp (no countdown rather than a wrong one)', () => {
    expect(tokenClockFromClaims({ iat: 1000 }, 0)).toBeNull();
    expect(tokenClockFromClaims({ exp: '2000' }, 0)).toBeNull();
  });
  it('ignores an iat that is not a number or lies after exp', () => {
    expect(tokenClockFromClaims({ exp: 2000, iat: 'x' }, 0)?.iat).toBeNull();
    expect(tokenClockFromClaims({ exp: 2000, iat: 3000 }, 0)?.iat).toBeNull();
  });
});

describe('secondsRemaining', () => {
  it('counts the token lifetime down from its arrival, whatever the browser clock says', () => {
    // Server says iat=1000, exp=4600 (1 h). The browser clock is 10 minutes behind the server's.
    const receivedAtMs = (1000 - 600) * 1000;
    const clock = { iat: 1000, exp: 4600, receivedAtMs };
    expect(secondsRemaining(clock, receivedAtMs)).toBe(3600);
    expect(secondsRemaining(clock, receivedAtMs + 2_500)).toBe(3597);
    expect(secondsRemaining(clock, receivedAtMs + 3_601_000)).toBeLessThan(0);
  });
  it('falls back to the local clock when there is no iat', () => {
    expect(secondsRemaining({ iat: null, exp: 100, receivedAtMs: 0 }, 40_000)).toBe(60);
  });
});

describe('formatCountdown', () => {
  it.each([
    [3600, 'Expires in 1:00:00'],
    [3599, 'Expires in 59:59'],
    [61, 'Expires in 1:01'],
    [9, 'Expires in 0:09'],
    [86400 + 3 * 3600 + 4 * 60 + 5, 'Expires in 1 d 03:04:05'],
  ])('%i s → %s', (seconds, text) => {
    expect(formatCountdown(seconds)).toBe(text);
  });
  it('says Expired at and after zero', () => {
    expect(formatCountdown(0)).toBe('Expired');
    expect(formatCountdown(-30)).toBe('Expired');
  });
});

describe('expiryInputProblem', () => {
  it.each(['', '  ', '30', '120', '315360001'])('lets %j through to the server', (v) => {
    expect(expiryInputProblem(v)).toBeNull();
  });
  it.each(['abc', '1.5', '-30', '1e3', '30s', '9'.repeat(20)])('refuses %j in the browser', (v) => {
    expect(expiryInputProblem(v)).toBe('Enter a whole number of seconds, or leave it empty.');
  });
});
