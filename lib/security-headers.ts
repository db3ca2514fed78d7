// 'strict-dynamic' lets Next's chunks load under the nonce; form-action allows the SSO issuer too.
export function buildSecurityHeaders(nonce: string, env: Record<string, string | undefined> = process.env) {
  let ssoOrigin = '';
  try {
    if (env.AUTH_OIDC_ISSUER) ssoOrigin = ` ${new URL(env.AUTH_OIDC_ISSUER).origin}`;
  } catch {
    /* configuration errors are reported by lib/env at start-up */
  }
  const csp = [
    `default-src 'self'`,
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'`,
    `style-src 'self' 'unsafe-inline'`,
    `img-src 'self' data:`,
    `font-src 'self'`,
    `connect-src 'self'`,
    `frame-ancestors 'none'`,
    `object-src 'none'`,
    `base-uri 'none'`,
    `form-action 'self'${ssoOrigin}`,
  ].join('; ');
  // Only when AUTH_URL says the console is served over https (browsers ignore it over plain http anyway).
  const hsts = env.AUTH_URL?.startsWith('https://')
    ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' }
    : {};
  return {
    ...hsts,
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
  } as Record<string, string> & { 'Content-Security-Policy': string };
}
