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

export async function withTraceId<T>(fn: () => Promise<T>): Promise<{ value: T; traceId: string | null }> {
  const sink: TraceSink = { traceId: null };
  const value = await traceSinks.run(sink, fn);
  return { value, traceId: sink.traceId };
}

export function recordTraceId(traceId: string | null): void {
  const sink = traceSinks.getStore();
  if (sink) sink.traceId = traceId;
}
