import { CONSOLE_UNREACHABLE } from '@/components/forms/console-action';
import { ActionError, type ActionFailure, type ActionResult } from '@/lib/vocabulary';

export { ActionError, type ActionFailure };

export function unwrap<T>(result: ActionResult<T>): T {
  if (!result.ok) throw new ActionError(result);
  return result.data;
}

/** What to show for any error: the action's safe message, or a fixed one (never a raw exception's text). */
export function describeError(error: unknown): { message: string; traceId: string | null; kind: string } {
  if (error instanceof ActionError)
    return {
      message: error.failure.message,
      traceId: error.failure.traceId ?? null,
      kind: error.failure.kind,
    };
  return {
    message: CONSOLE_UNREACHABLE,
    traceId: null,
    kind: 'network',
  };
}
