import { z } from 'zod';
import { noticeInput, reasonFields } from '@/lib/reason-input';
import { CLIENT_ID, SESSION_ID, USER_ID } from '@/lib/vocabulary';
import { SECURE_STEPS } from '@/lib/account/steps';
import { INCIDENT_ACTIONS, MAX_JOB_USERS } from '@/lib/jobs/types';

const sessionId = z.string().regex(SESSION_ID, 'Not a session id (sess_…).');
const userId = z.string().regex(USER_ID, 'Not a user id (user_…).');
const clientId = z.string().regex(CLIENT_ID, 'Not a client id (client_…).');

export const MAX_CHOSEN_SESSIONS = 1000;

export const jobTargetInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('sessions'),
      sessionIds: z.array(sessionId).min(1, 'Choose at least one session.').max(MAX_CHOSEN_SESSIONS),
      userId: userId.optional(),
    })
    .strict(),
  z.object({ kind: z.literal('users'), userIds: z.array(userId).min(1).max(MAX_JOB_USERS) }).strict(),
  z.object({ kind: z.literal('client'), clientId }).strict(),
  z.object({ kind: z.literal('user_except'), userId, keepSessionId: sessionId }).strict(),
]);
export type JobTarget = z.infer<typeof jobTargetInput>;

// Acting without a second admin: an administrator, with step-up and a stated emergency.
const breakGlassFields = {
  breakGlass: z.boolean().optional(),
  emergencyReason: z.string().trim().max(500, 'Keep the emergency reason under 500 characters.').optional(),
};

export const dryRunJobInput = z.object({ target: jobTargetInput }).strict();

export const createJobInput = z
  .object({
    target: jobTargetInput,
    ...reasonFields,
    notify: noticeInput,
    plan: z.string().min(10).max(400),
    confirmCount: z
      .union([z.literal('').transform(() => undefined), z.coerce.number().int().min(0)])
      .optional(),
    password: z.string().max(1024).optional(),
    action: z.enum(INCIDENT_ACTIONS).optional(),
    ...breakGlassFields,
  })
  .strict();

export const dryRunSecureAccountInput = z
  .object({
    userId,
    steps: z.array(z.enum(SECURE_STEPS)).min(1, 'Choose at least one step.').max(SECURE_STEPS.length),
  })
  .strict();

export const startSecureAccountInput = z
  .object({
    plan: z.string().min(10).max(600),
    ...reasonFields,
    notify: noticeInput,
    stepUpPassword: z.string().max(1024).optional(),
    ...breakGlassFields,
  })
  .strict();

const staffId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\w-]+$/, 'Not a staff id.');

export const cancelMemberJobsInput = z.object({ staffId, ...reasonFields }).strict();

export const jobIdInput = z.object({ jobId: z.string().uuid('Not a job id.') }).strict();
