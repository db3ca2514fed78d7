import { describe, expect, it } from 'vitest';
import { buildSecurityHeaders } from './security-headers';

describe('HSTS', () => {
  it('is sent only when AUTH_URL is https', () => {
    expect(buildSecurityHeaders('n', { AUTH_URL: 'https://console.example.com' })).toMatchObject({
      'Strict-Transport-Security': 'max-age=63072000; includeSubDomains',
    });
    for (const AUTH_URL of [undefined, 'http://127.0.0.1:3000', 'http://https.example'])
      expect(buildSecurityHeaders('n', { AUTH_URL })).not.toHaveProperty('Strict-Transport-Security');
  });
});
