export type LimitedBody = { ok: true; text: string } | { ok: false };

/**
 * A request body as UTF-8 text, refused past `max` bytes: the declared Content-Length first, then the bytes
 * counted as they stream (a chunked body declares nothing, and a declaration can lie).
 */
export async function readLimitedBody(request: Request, max: number): Promise<LimitedBody> {
  const declared = request.headers.get('content-length');
  if (declared !== null && (!/^\d{1,15}$/.test(declared.trim()) || Number(declared) > max))
    return { ok: false };
  if (!request.body) return { ok: true, text: '' };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
}
