import type { Role } from '@/lib/vocabulary';

// Plain data (no server-only), so `npm start` can print them before the console runs.
export const DEMO_STAFF: readonly { email: string; role: Role }[] = [
  { email: 'admin@example.com', role: 'admin' },
  { email: 'support@example.com', role: 'support' },
  { email: 'viewer@example.com', role: 'viewer' },
];

export const DEFAULT_DEMO_STAFF_PASSWORD = 'console-demo-password';
