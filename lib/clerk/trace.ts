import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

// One store per process, like the guard's scopes: Next bundles this module more than once.
const TRACE_SINKS = Symbol.for('session-console.clerk-trace-sinks');
const traceSinks = ((globalThis as typeof globalThis & { [TRACE_SINKS]?: AsyncLocalStorage<TraceSink> })[
  TRACE_SINKS
] ??= new AsyncLocalStorage<TraceSink>());
interface TraceSink {
  traceId: string | null;
}

/**
 * Runs `fn` and reports Clerk's trace id of the last successful call it made (failures carry theirs on the
 * ConsoleApiError), so a job item records the trace of its revoke, not only of a failed one.
 */
export async function withTraceId<T>(fn: () => Promise<T>): Promise<{ value: T; traceId: string | null }> {
  const sink: TraceSink = { traceId: null };
  const value = await traceSinks.run(sink, fn);
  return { value, traceId: sink.traceId };
}

/** callClerk, after a successful call: the trace id withTraceId reports. */
export function recordTraceId(traceId: string | null): void {
  const sink = traceSinks.getStore();
  if (sink) sink.traceId = traceId;
}
