import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/**
 * The audit section's role check. The layout and the page both call it (they render in parallel, and a soft
 * navigation may re-render the page alone); React's per-request cache makes it one check and, for a denial,
 * one audit row.
 */
export const requireAuditReader = cache(() => requireStaffPage('audit:read', 'page:/audit'));
