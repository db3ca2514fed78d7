import { z } from 'zod';
import { reasonInput } from '@/lib/reason-input';

const approvalId = z.string().uuid('Not an approval request id.');

export const approveRequestInput = z
  .object({ approvalId, password: z.string().max(1024).optional() })
  .strict();
export const declineRequestInput = z.object({ approvalId, reason: reasonInput }).strict();
export const cancelRequestInput = z.object({ approvalId }).strict();
