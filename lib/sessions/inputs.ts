import { z } from 'zod';
import { SESSION_ID, SIGNAL_KINDS, TEMPLATE_NAME } from '@/lib/vocabulary';
import { noticeInput, reasonFields } from '@/lib/reason-input';

export const sessionIdInput = z.string().regex(SESSION_ID, 'Not a session id (sess_…).');

export const revokeSessionInput = z
  .object({ sessionId: sessionIdInput, ...reasonFields, notify: noticeInput })
  .strict();

export const createTokenInput = z
  .object({
    sessionId: sessionIdInput,
    template: z.string().regex(TEMPLATE_NAME, 'Choose a template.'),
    expiresInSeconds: z
      .union([
        z.literal('').transform(() => undefined),
        z.coerce
          .number({ message: 'Enter a whole number of seconds.' })
          .int('Enter a whole number of seconds.')
          // The max (TOKEN_MAX_LIFETIME_SECONDS) is server-only; the action checks it before upstream calls.
          .min(30, 'At least 30 seconds.'),
      ])
      .optional(),
    ...reasonFields,
    password: z.string().max(1024).optional().default(''),
  })
  .strict();

export const reviewSignalInput = z
  .object({
    sessionId: sessionIdInput,
    kind: z.enum(SIGNAL_KINDS),
    fingerprint: z.string().regex(/^[0-9a-f]{16}$/, 'Not a signal fingerprint.'),
    note: z
      .string()
      .trim()
      .min(3, 'Say what you checked (at least 3 characters).')
      .max(500, 'Keep the note under 500 characters.'),
  })
  .strict();
