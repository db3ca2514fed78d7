import { describe, expect, it } from 'vitest';
import {
  BOUNDARY_MESSAGES,
  boundaryError,
  decodeBoundaryDigest,
  encodeBoundaryDigest,
} from './boundary-error';

describe('boundary error digests', () => {
  it('round-trips kind, trace id and retry-after into a fixed message', () => {
    const d = decodeBoundaryDigest(encodeBoundaryDigest('rate_limited', 'trace_abc-123', 2.2));
    expect(d).toEqual({
      kind: 'rate_limited',
      message: BOUNDARY_MESSAGES.rate_limited,
      traceId: 'trace_abc-123',
      retryAfterSeconds: 3,
    });
  });

  it('never carries free text: unknown kinds become unknown, odd trace ids are dropped', () => {
    const d = decodeBoundaryDigest(encodeBoundaryDigest('<script>', 'id with spaces <b>'));
    expect(d).toEqual({
      kind: 'unknown',
      message: BOUNDARY_MESSAGES.unknown,
      traceId: null,
      retryAfterSeconds: null,
    });
  });

  it('ignores ordinary Next digests and malformed ones', () => {
    expect(decodeBoundaryDigest('2390484832')).toBeNull();
    expect(decodeBoundaryDigest(undefined)).toBeNull();
    expect(decodeBoundaryDigest('console-api:evil_kind:t:')).toBeNull();
    expect(decodeBoundaryDigest('console-api:unavailable:t')).toBeNull();
  });

  it('keeps the server-side message off the digest', () => {
    const err = boundaryError('unavailable', 'tr_1');
    expect(err.digest).toBe('console-api:unavailable:tr_1:');
    expect(err.digest).not.toContain(err.message);
  });
});
