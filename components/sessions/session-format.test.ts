import { describe, expect, it } from 'vitest';
import { actorLabel, browserLabel, deviceLabel, locationLabel, userLabel } from './session-format';

const activity = {
  deviceType: 'Macintosh',
  browserName: 'Chrome',
  browserVersion: '126.0',
  isMobile: false,
  ipAddress: '203.0.113.7',
  city: 'London',
  country: 'GB',
};

describe('session labels', () => {
  it('names the device from whatever Clerk knows', () => {
    expect(deviceLabel(activity)).toBe('Macintosh · Chrome 126.0');
    expect(deviceLabel({ ...activity, deviceType: null })).toBe('Chrome 126.0');
    expect(deviceLabel({ ...activity, browserVersion: null })).toBe('Macintosh · Chrome');
    expect(deviceLabel(null)).toBe('Unknown device');
    expect(browserLabel({ ...activity, browserName: null })).toBeNull();
    expect(locationLabel(activity)).toBe('London, GB');
    expect(locationLabel({ ...activity, city: null, country: null })).toBeNull();
    expect(locationLabel(activity, { GB: 'United Kingdom' })).toBe('London, United Kingdom');
    expect(locationLabel({ ...activity, city: null }, { GB: 'United Kingdom' })).toBe('United Kingdom');
    // A code the table has no name for stays a code.
    expect(locationLabel({ ...activity, country: 'XK' }, { GB: 'United Kingdom' })).toBe('London, XK');
  });

  it('names a user by display name, then email, then id', () => {
    const base = {
      id: 'user_1',
      displayName: 'Ada Lovelace',
      firstName: 'Ada',
      lastName: 'Lovelace',
      primaryEmail: 'ada@example.com',
    };
    expect(userLabel(base)).toBe('Ada Lovelace');
    expect(userLabel({ ...base, displayName: '', firstName: null, lastName: null })).toBe('ada@example.com');
    expect(
      userLabel({ ...base, displayName: ' ', firstName: null, lastName: null, primaryEmail: null }),
    ).toBe('user_1');
  });

  it('marks impersonated sessions with the actor', () => {
    expect(actorLabel(null)).toBeNull();
    expect(actorLabel({ sub: 'user_admin', iss: null })).toBe('Impersonated by user_admin');
    expect(actorLabel({ sub: null, iss: null })).toBe('Impersonated');
  });
});
