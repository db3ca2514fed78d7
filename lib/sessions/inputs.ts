import { z } from 'zod';
import { SIGNAL_KINDS } from '@/lib/risk/types';

// Input schemas shared by server actions and forms. Ids are re-validated by lib/clerk before any upstream call;
// these give the person a field-level message first.
export const SESSION_ID = /^sess_[A-Za-z0-9]{1,64}$/;
export const USER_ID = /^user_[A-Za-z0-9]{1,64}$/;
export const CLIENT_ID = /^client_[A-Za-z0-9]{1,64}$/;
export const TEMPLATE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const LIST_STATUSES = [
  'active',
  'pending',
  'revoked',
  'ended',
  'expired',
  'removed',
  'abandoned',
  'replaced',
  'all',
] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];
export const PAGE_SIZES = [10, 25, 50, 100] as const;

export const sessionIdInput = z.string().regex(SESSION_ID, 'Not a session id (sess_…).');
export const reasonInput = z
  .string()
  .trim()
  .min(3, 'Give a reason (at least 3 characters).')
  .max(500, 'Keep the reason under 500 characters.');

export const listSessionsInput = z
  .object({
    userId: z.string().regex(USER_ID, 'Not a user id (user_…).').optional(),
    clientId: z.string().regex(CLIENT_ID, 'Not a client id (client_…).').optional(),
    status: z.enum(LIST_STATUSES).default('active'),
    limit: z.coerce.number().int().min(1).max(100).default(25),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
    /** "Needs a look" (URL `look=1`; the browser's refresh sends `true`). */
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

export const getSessionInput = z.object({ sessionId: sessionIdInput }).strict();

export const revokeSessionInput = z.object({ sessionId: sessionIdInput, reason: reasonInput }).strict();

export const MAX_BULK = 100;
export const revokeSessionsInput = z
  .object({
    sessionIds: z.array(sessionIdInput).min(1).max(MAX_BULK),
    reason: reasonInput,
    userId: z.string().regex(USER_ID).optional(),
    batchId: z.string().uuid().optional(),
  })
  .strict();

export const activeSessionIdsInput = z
  .object({ userId: z.string().regex(USER_ID, 'Not a user id (user_…).') })
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
          .min(30, 'At least 30 seconds.')
          .max(315_360_000, 'At most 315,360,000 seconds (10 years).'),
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
