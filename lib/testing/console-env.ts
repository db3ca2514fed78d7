// Every variable the console, its embedded API and its scripts read (lib/env*, scripts/start.ts, next.config.ts):
// a developer's shell must not reach the servers a test starts. A test sets what it means, and nothing else leaks.

const PREFIXES = [
  'CLERK_',
  'LOCAL_CLERK_',
  'AUTH_',
  'CONSOLE_',
  'JOBS_',
  'WATCHLIST_',
  'SIGN_IN_',
  'DATABASE_',
  'AUDIT_STREAM_',
  'SSF_',
  'SMTP_',
  'SESSION_INDEX_',
  'APPROVAL_',
];
const NAMES = new Set([
  'DATA_DIR',
  'DEMO_STAFF_PASSWORD',
  'PORT',
  'HOST',
  'SEED',
  'LOG_LEVEL',
  'TRUSTED_PROXY_HOPS',
  'TOKEN_MAX_LIFETIME_SECONDS',
  'NEXT_OUTPUT',
  'REASON_CODES',
  'TICKET_URL_TEMPLATE',
  'APPROVALS',
]);

export function isConsoleVariable(name: string): boolean {
  return NAMES.has(name) || PREFIXES.some((p) => name.startsWith(p));
}

/** `env` without any variable the console reads (a copy). */
export function withoutConsoleEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !isConsoleVariable(k))) as NodeJS.ProcessEnv;
}

/** Removes, in place, every console variable not in `keep` (for a process whose children inherit its env). */
export function clearConsoleEnv(env: NodeJS.ProcessEnv = process.env, keep: readonly string[] = []): void {
  for (const name of Object.keys(env)) if (isConsoleVariable(name) && !keep.includes(name)) delete env[name];
}
