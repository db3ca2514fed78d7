import type { SecureStep } from '@/lib/account/steps';

export const STEP_OUTCOMES = [
  'done',
  'already',
  'not_found',
  'refused',
  'failed',
  'not_attempted',
  'pending',
] as const;

export interface StepOutcome {
  step: SecureStep;
  outcome: (typeof STEP_OUTCOMES)[number];
  message: string | null;
  traceId: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);

/** One line per chosen step, in the order chosen; a step the job has not reported yet reads as pending. */
export function stepOutcomes(steps: readonly SecureStep[], rows: readonly object[]): StepOutcome[] {
  const byStep = new Map<string, Record<string, unknown>>();
  for (const row of rows) {
    const r = row as Record<string, unknown>;
    const step = str(r.step);
    if (step) byStep.set(step, r);
  }
  return steps.map((step) => {
    const r = byStep.get(step);
    const outcome = STEP_OUTCOMES.find((o) => o === r?.outcome) ?? 'pending';
    return { step, outcome, message: str(r?.message), traceId: str(r?.traceId) };
  });
}
