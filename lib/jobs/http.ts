import 'server-only';
import { z } from 'zod';
import type { RouteFailures } from '@/lib/actions/staff-route';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const jobIdParams = z.object({ jobId: z.string().regex(UUID) }).strict();

export const JOB_READ_FAILURES: RouteFailures = {
  body: 'error',
  messages: {
    unauthenticated: 'Sign in to the console first.',
    forbidden: 'Your role does not allow this.',
    not_found: 'No job has that id.',
    invalid_input: 'Check the outcome filter and the paging values.',
    unknown: 'Jobs could not be read.',
  },
  status: { unknown: 503 },
};
