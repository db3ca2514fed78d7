import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/** The incident form's role check, shared by its layout and page: one check, and for a denial one audit row. */
export const requireIncidentStaff = cache(() => requireStaffPage('jobs:incident', 'page:/jobs/new'));
