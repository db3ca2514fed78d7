import { z } from 'zod';
import { reasonFields } from '@/lib/reason-input';
import { USER_ID } from '@/lib/vocabulary';

export const undoAccountInput = z
  .object({
    userId: z.string().regex(USER_ID, 'Not a user id (user_…).'),
    ...reasonFields,
  })
  .strict();
export type UndoAccountInput = z.infer<typeof undoAccountInput>;
