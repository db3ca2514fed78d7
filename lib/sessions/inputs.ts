import { z } from 'zod';
import { SIGNAL_KINDS } from '@/lib/risk/types';
import {
  CLIENT_ID,
  LIST_STATUSES,
  REASON_MAX,
  REASON_MIN,
  REASON_TOO_LONG,
  REASON_TOO_SHORT,
  SESSION_ID,
  TEMPLATE_NAME,
  USER_ID,
} from '@/lib/vocabulary';

export {
  SESSION_ID,
  USER_ID,
  CLIENT_ID,
  TEMPLATE_NAME,
  LIST_STATUSES,
  PAGE_SIZES,
  type ListStatus,
} from '@/lib/vocabulary';

export const sessionIdInput = z.string().regex(SESSION_ID, 'Not a session id (sess_…).');
export const reasonInput = z
  .string()
  .trim()
  .min(REASON_MIN, REASON_TOO_SHORT)
  .max(REASON_MAX, REASON_TOO_LONG);

export const listSessionsInput = z
  .object({
    userId: z.string().regex(USER_ID, 'Not a user id (user_…).').optional(),
    clientId: z.string().regex(CLIENT_ID, 'Not a client id (client_…).').optional(),
    status: z.enum(LIST_STATUSES).default('active'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    look: z
      .union([z.literal('1'), z.literal(true)])
      .optional()
      .transform((v) => (v === undefined ? undefined : true)),
  })
  .strict()
  .refine((v) => Boolean(v.userId) !== Boolean(v.clientId), {
    message: 'Give a user id or a client id.',
    path: ['userId'],
  });

export const listSessionsQuery = z
  .object({
    user_id: z.string().optional(),
    client_id: z.string().optional(),
    status: z.string().optional(),
    limit: z.string().optional(),
    offset: z.string().optional(),
    look: z.string().optional(),
  })
  .strict()
  .transform(({ user_id, client_id, ...rest }, ctx) => {
    const parsed = listSessionsInput.safeParse({ userId: user_id, clientId: client_id, ...rest });
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const [field, ...path] = issue.path;
      const param = field === 'userId' ? 'user_id' : field === 'clientId' ? 'client_id' : field;
      ctx.addIssue({ code: 'custom', message: issue.message, path: [param ?? 'query', ...path] });
    }
    return z.NEVER;
  });

export const revokeSessionInput = z.object({ sessionId: sessionIdInput, reason: reasonInput }).strict();

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
    reason: reasonInput,
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
