import { describe, expect, it } from 'vitest';
import { ConsoleApiError } from '@/lib/clerk/errors';
import { decodeBoundaryDigest } from '@/components/shell/boundary-error';
import { pageRead } from './page-read';

const clerkError = (kind: ConsoleApiError['kind'], userMessage = 'Clerk said no.') =>
  new ConsoleApiError({
    kind,
    userMessage,
    traceId: 'trace_123',
    retryAfterSeconds: kind === 'rate_limited' ? 7 : null,
  });

async function thrown(read: Promise<unknown>): Promise<unknown> {
  try {
    await pageRead(read);
  } catch (e) {
    return e;
  }
  throw new Error('pageRead did not throw');
}

describe('pageRead', () => {
  it('hands back what was read', async () => {
    expect(await pageRead(Promise.resolve({ id: 'sess_1' }))).toEqual({ ok: true, value: { id: 'sess_1' } });
  });

  it("sends an unknown id to the section's not-found view", async () => {
    const e = (await thrown(Promise.reject(clerkError('not_found')))) as { digest?: string };
    expect(e.digest).toMatch(/^NEXT_HTTP_ERROR_FALLBACK;404/);
  });

  it('hands input Clerk refused back to the page, with the plain message', async () => {
    expect(await pageRead(Promise.reject(clerkError('invalid_input', 'That search cannot be run.')))).toEqual(
      {
        ok: false,
        invalid: 'That search cannot be run.',
      },
    );
  });

  it("sends any other Clerk failure to the error view as a digest: the fixed message and Clerk's trace id", async () => {
    for (const kind of ['unavailable', 'rate_limited', 'key_rejected', 'unknown'] as const) {
      const e = (await thrown(Promise.reject(clerkError(kind, 'upstream body <secret>')))) as Error & {
        digest: string;
      };
      expect(decodeBoundaryDigest(e.digest)).toMatchObject({ kind, traceId: 'trace_123' });
      expect(`${e.message}${e.digest}`).not.toContain('secret');
    }
    const limited = (await thrown(Promise.reject(clerkError('rate_limited')))) as { digest: string };
    expect(decodeBoundaryDigest(limited.digest)?.retryAfterSeconds).toBe(7);
  });

  it("lets an error that is not Clerk's through unchanged", async () => {
    const db = new Error('database is locked');
    expect(await thrown(Promise.reject(db))).toBe(db);
  });
});
