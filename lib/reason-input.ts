import { z } from 'zod';
import { REASON_MAX, REASON_MIN, REASON_TOO_LONG, REASON_TOO_SHORT } from '@/lib/vocabulary';

/** The reason every write records, shared by the forms of every feature. */
export const reasonInput = z
  .string()
  .trim()
  .min(REASON_MIN, REASON_TOO_SHORT)
  .max(REASON_MAX, REASON_TOO_LONG);
