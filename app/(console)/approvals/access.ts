import 'server-only';
import { cache } from 'react';
import { requireStaffPage } from '@/lib/auth/require-staff';

/** Approvals are for members who may start a job: one check for the layout and its pages, one audit row if denied. */
export const requireApprovalsStaff = cache(() => requireStaffPage('sessions:revoke', 'page:/approvals'));
