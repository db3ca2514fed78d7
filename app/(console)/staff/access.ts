import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/** The staff page's role check, shared by its layout and page: one check, and for a denial one audit row. */
export const requireStaffManager = cache(() => requireStaffPage('staff:manage', 'page:/staff'));
