import 'server-only';
import { AsyncLocalStorage } from 'node:async_hooks';

// @clerk/backend 3.25 binds the global fetch at load and takes no other: replace it first; guard in scope.
// In scope: no redirects (the Bearer key stays), bodies capped while streaming, deadline aborts the socket.

export type UpstreamFailure = 'redirect' | 'too_large' | 'timeout';

export const MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

interface GuardScope {
  signal: AbortSignal;
  maxBytes: number;
  failure: UpstreamFailure | null;
  requests: number;
  charge: (() => Promise<void>) | null;
  chargeError: unknown;
  traceId: string | null;
}

const ORIGINAL = Symbol.for('session-console.fetch-before-guard');
const SCOPES = Symbol.for('session-console.fetch-guard-scopes');
type Holder = typeof globalThis & {
  [ORIGINAL]?: typeof fetch;
  [SCOPES]?: AsyncLocalStorage<GuardScope>;
};
// Next bundles this module more than once: one store per process, so one copy's fetch sees another's scopes.
const scopes = ((globalThis as Holder)[SCOPES] ??= new AsyncLocalStorage<GuardScope>());

class GuardError extends Error {
  constructor(readonly failure: UpstreamFailure) {
    super(failure === 'redirect' ? 'redirect refused' : 'response too large');
    this.name = 'UpstreamGuardError';
  }
}

function limitBody(body: ReadableStream<Uint8Array>, scope: GuardScope): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > scope.maxBytes) {
          scope.failure = 'too_large';
          // Erroring the transform cancels the source, which aborts the request and frees its socket.
          controller.error(new GuardError('too_large'));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
}

export function installUpstreamFetch(): void {
  const holder = globalThis as Holder;
  if (holder[ORIGINAL]) return;
  const original = globalThis.fetch;
  holder[ORIGINAL] = original;
  globalThis.fetch = async function guardedFetch(input: RequestInfo | URL, init?: RequestInit) {
    const scope = scopes.getStore();
    if (!scope) return original(input, init);
    if (scope.charge) {
      if (scope.chargeError !== undefined) throw scope.chargeError;
      try {
        await scope.charge();
      } catch (e) {
        scope.chargeError ??= e;
        throw e;
      }
    }
    scope.requests++;
    const res = await original(input, { ...init, redirect: 'manual', signal: scope.signal });
    scope.traceId = res.headers.get('clerk-trace-id') ?? res.headers.get('cf-ray') ?? scope.traceId;
    if (res.status >= 300 && res.status < 400) {
      scope.failure = 'redirect';
      await res.body?.cancel().catch(() => {});
      throw new GuardError('redirect');
    }
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > scope.maxBytes) {
      scope.failure = 'too_large';
      await res.body?.cancel().catch(() => {});
      throw new GuardError('too_large');
    }
    if (!res.body) return res;
    return new Response(limitBody(res.body, scope), {
      status: res.status,
      statusText: res.statusText,
      headers: res.headers,
    });
  } as typeof fetch;
}

export interface GuardResult<T> {
  result: PromiseSettledResult<T>;
  failure: UpstreamFailure | null;
  /** How many requests went through the guard: 0 after a result means the SDK bypassed it. */
  requests: number;
  traceId: string | null;
  chargeError: unknown;
}

export async function withUpstreamGuard<T>(
  opts: { timeoutMs: number; maxBytes?: number; charge?: () => Promise<void> },
  fn: () => Promise<T>,
): Promise<GuardResult<T>> {
  const controller = new AbortController();
  const scope: GuardScope = {
    signal: controller.signal,
    maxBytes: opts.maxBytes ?? MAX_RESPONSE_BYTES,
    failure: null,
    requests: 0,
    charge: opts.charge ?? null,
    chargeError: undefined,
    traceId: null,
  };
  const timer = setTimeout(() => {
    scope.failure ??= 'timeout';
    controller.abort();
  }, opts.timeoutMs);
  try {
    const value = await scopes.run(scope, fn);
    const { failure, requests, traceId, chargeError } = scope;
    return { result: { status: 'fulfilled', value }, failure, requests, traceId, chargeError };
  } catch (reason) {
    const { failure, requests, traceId, chargeError } = scope;
    return { result: { status: 'rejected', reason }, failure, requests, traceId, chargeError };
  } finally {
    clearTimeout(timer);
  }
}
