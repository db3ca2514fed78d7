import { fail, type ActionResult } from '@/lib/vocabulary';
import { newRequestKey, REQUEST_KEY_FIELD } from '@/lib/actions/request-key';

export const CONSOLE_UNREACHABLE = 'The console could not be reached. Try again.';

export type ConsoleResult<T> = ActionResult<T> & { requestKey: string | null };

export interface CallerOptions {
  requestKey?: boolean;
  /** Fields the server leaves out of the request fingerprint (a step-up password), so a retry with a new one is still a retry. */
  omit?: readonly string[];
  /** Next's redirect and not-found signals must reach the router, not become a failure. */
  rethrow?: (e: unknown) => void;
}

type KeyedAction<I, T> = (input: I & { [REQUEST_KEY_FIELD]?: string }) => Promise<ActionResult<T>>;

/**
 * A request key lives until an answer arrives: a retry of the same input after a lost answer (or while the first is
 * still in progress) is the same request to the server, and a new input gets a new key.
 */
export function actionCaller<I extends object, T>(
  action: KeyedAction<I, T>,
  options: CallerOptions = {},
  keys: Map<string, string> = new Map(),
) {
  const sameRequest = (input: I) =>
    JSON.stringify(
      Object.entries(input)
        .filter(([k]) => !options.omit?.includes(k))
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    );

  return async function call(input: I): Promise<ConsoleResult<T>> {
    const same = options.requestKey ? sameRequest(input) : '';
    const key = options.requestKey ? (keys.get(same) ?? newRequestKey()) : null;
    if (key) keys.set(same, key);
    let result: ActionResult<T>;
    try {
      result = await action(key ? { ...input, [REQUEST_KEY_FIELD]: key } : input);
    } catch (e) {
      options.rethrow?.(e);
      return { ...fail('unknown', CONSOLE_UNREACHABLE), requestKey: key };
    }
    const stillRunning = !result.ok && result.kind === 'in_progress';
    if (key && !stillRunning && keys.get(same) === key) keys.delete(same);
    return { ...result, requestKey: key };
  };
}
