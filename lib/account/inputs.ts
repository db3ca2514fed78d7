import { z } from 'zod';
import { REASON_MAX, REASON_MIN, REASON_TOO_LONG, REASON_TOO_SHORT, USER_ID } from '@/lib/vocabulary';

export const undoAccountInput = z
  .object({
    userId: z.string().regex(USER_ID, 'Not a user id (user_…).'),
    reason: z.string().trim().min(REASON_MIN, REASON_TOO_SHORT).max(REASON_MAX, REASON_TOO_LONG),
  })
  .strict();
export type UndoAccountInput = z.infer<typeof undoAccountInput>;
