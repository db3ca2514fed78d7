export function oidcIdentity(profile: Record<string, unknown> | undefined | null, issuer: string) {
  const email = typeof profile?.email === 'string' ? profile.email.trim().toLowerCase() : null;
  const subject = typeof profile?.sub === 'string' && profile.sub ? profile.sub : null;
  return {
    email,
    subject,
    // oauth4webapi has already checked `iss` against the configured issuer; keep the configured spelling.
    issuer,
    // Strictly the boolean true: "true", 1 or a missing claim are not a verified address.
    emailVerified: profile?.email_verified === true,
    authTime: typeof profile?.auth_time === 'number' ? profile.auth_time * 1000 : null,
  };
}
