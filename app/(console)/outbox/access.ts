import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/** Mail to end users holds their addresses: admins only, like the audit log. */
export const requireOutboxReader = cache(() => requireStaffPage('audit:read', 'page:/outbox'));
