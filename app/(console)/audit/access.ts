import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/** Layout and page both call it (they render in parallel); React's cache makes it one check, one denial row. */
export const requireAuditReader = cache(() => requireStaffPage('audit:read', 'page:/audit'));
