import { z } from 'zod';
import { getEnv } from '@/lib/env';
import { REASON_MAX, REASON_MIN, REASON_TOO_LONG, REASON_TOO_SHORT } from '@/lib/vocabulary';
import { isReasonCode, parseTicketRef, REASON_CODE_PATTERN } from '@/lib/vocabulary/reasons';

/** The reason every write records, shared by the forms of every feature. */
export const reasonInput = z
  .string()
  .trim()
  .min(REASON_MIN, REASON_TOO_SHORT)
  .max(REASON_MAX, REASON_TOO_LONG);

export const REASON_CODE_REFUSED = 'Choose a reason code from the list.';
export const TICKET_REFUSED = 'A ticket reference is letters, digits and . _ # - (at most 64), never a link.';

// Checked against the deployer's list when the input is parsed (server only: the list comes from lib/env).
export const reasonCodeInput = z
  .string()
  .regex(REASON_CODE_PATTERN, REASON_CODE_REFUSED)
  .refine((code) => isReasonCode(getEnv().reasons.reasonCodes, code), REASON_CODE_REFUSED);

export const ticketInput = z
  .string()
  .max(200, TICKET_REFUSED)
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || !v.trim()) return null;
    const ref = parseTicketRef(v);
    if (!ref) ctx.addIssue({ code: 'custom', message: TICKET_REFUSED });
    return ref;
  });

/** What every write asks for: the free-text reason, a code from the list, an optional ticket reference. */
export const reasonFields = { reason: reasonInput, reasonCode: reasonCodeInput, ticket: ticketInput };

export const noticeInput = z
  .object({ message: z.string().trim().min(1, 'Write the message or untick "Tell the user".').max(4000) })
  .strict()
  .optional();
