import type { Role } from '@/lib/vocabulary';

export interface RoleRule {
  match: string;
  role: Role;
}

// An email matching no rule gets no access: the identity provider alone grants nothing.
export function roleForEmail(email: string, rules: readonly RoleRule[]): Role | null {
  const normalized = email.trim().toLowerCase();
  const exact = rules.find((r) => r.match.toLowerCase() === normalized);
  if (exact) return exact.role;
  const at = normalized.lastIndexOf('@');
  if (at < 1) return null;
  const domain = normalized.slice(at);
  return rules.find((r) => r.match.startsWith('@') && r.match.toLowerCase() === domain)?.role ?? null;
}
