import 'server-only';

export class DeliveryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeliveryError';
  }
}

// What the stream page shows: a status or a kind of network failure, never a receiver's body or a URL.
function describe(e: unknown): string {
  if (e instanceof DeliveryError) return e.message;
  const err = e as { name?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  const code = err?.cause?.code;
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host not found';
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return 'connection reset';
  if (typeof code === 'string' && /^(CERT_|ERR_TLS|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code))
    return 'TLS certificate refused';
  return 'network error';
}

/** One POST; resolves on a 2xx, throws a DeliveryError with a short, safe description otherwise. */
export async function post(
  url: string,
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<void> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'user-agent': 'session-console', ...init.headers },
      body: init.body,
      // A receiver's redirect could send signed audit data elsewhere: it is a failure, not followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs),
    });
  } catch (e) {
    throw new DeliveryError(describe(e));
  }
  await res.body?.cancel().catch(() => {});
  if (res.status < 200 || res.status >= 300) throw new DeliveryError(`HTTP ${res.status}`);
}

export { describe as describeDeliveryError };
