// The embedded API's session JSON as the risk signals read it, for tests and the risk benchmark that work on the
// seed directly (the console itself maps Clerk's answers through lib/clerk's DTOs).
import type { SessionJson } from '../local-clerk/types';
import type { RiskSession } from '../risk/signals';

export const riskSessionOfJson = (s: SessionJson): RiskSession => ({
  id: s.id,
  status: s.status,
  createdAt: s.created_at,
  lastActiveAt: s.last_active_at,
  actor: s.actor ? { sub: s.actor.sub ?? null, iss: s.actor.iss ?? null } : null,
  latestActivity: s.latest_activity
    ? {
        deviceType: s.latest_activity.device_type ?? null,
        browserName: s.latest_activity.browser_name ?? null,
        browserVersion: s.latest_activity.browser_version ?? null,
        isMobile: s.latest_activity.is_mobile,
        ipAddress: s.latest_activity.ip_address ?? null,
        city: s.latest_activity.city ?? null,
        country: s.latest_activity.country ?? null,
      }
    : null,
});
