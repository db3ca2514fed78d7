import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '@/lib/audit';
import { maskTokens, targetHref, toAuditEventView } from './audit-view';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEiLCJleHAiOjF9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';

function entry(over: Partial<AuditEntry> = {}): AuditEntry {
  return {
    id: 'a1',
    at: new Date('2026-05-12T10:00:00.000Z'),
    resolvedAt: new Date('2026-05-12T10:00:01.000Z'),
    actor: { staffId: 's1', email: 'admin@example.com', role: 'admin' },
    action: 'token.create',
    target: { sessionId: 'sess_abc', userId: null, clientId: null },
    details: {
      reason: 'ticket 42',
      template: 'hasura',
      expiresInSeconds: null,
      tokenJti: 'jti_1',
      tokenSha256: 'ab'.repeat(32),
    },
    ctx: { ip: '127.0.0.1', userAgent: 'test' },
    outcome: 'succeeded',
    code: null,
    traceId: 'trace-1',
    reconciledBy: null,
    ...over,
  } as AuditEntry;
}

describe('toAuditEventView', () => {
  it('gives the browser plain values: times as ms, reason apart, details labelled', () => {
    const v = toAuditEventView(entry());
    expect(v.at).toBe(Date.parse('2026-05-12T10:00:00.000Z'));
    expect(v.resolvedAt).toBe(Date.parse('2026-05-12T10:00:01.000Z'));
    expect(v.reason).toBe('ticket 42');
    expect(v.actorEmail).toBe('admin@example.com');
    expect(v.actorRole).toBe('admin');
    expect(v.details).toEqual([
      { key: 'template', label: 'Template', value: 'hasura' },
      { key: 'tokenJti', label: 'Token jti', value: 'jti_1' },
      { key: 'tokenSha256', label: 'Token SHA-256', value: 'ab'.repeat(32) },
    ]);
    expect(JSON.parse(JSON.stringify(v))).toEqual(v);
  });

  it('never passes on anything shaped like a JWT, in details or reason', () => {
    const v = toAuditEventView(
      entry({ details: { reason: `pasted ${JWT} by mistake`, note: { nested: JWT } } }),
    );
    expect(JSON.stringify(v)).not.toContain(JWT);
    expect(v.reason).toBe('pasted [token redacted] by mistake');
    expect(v.details[0]?.value).toContain('[token redacted]');
  });

  it('shows a token expiry (epoch seconds) as a UTC time', () => {
    const v = toAuditEventView(entry({ details: { expiresAt: 1_795_726_964 } }));
    expect(v.details).toEqual([
      { key: 'expiresAt', label: 'Token expires', value: '2026-11-26 21:02:44 UTC' },
    ]);
  });

  it('bounds a long detail value', () => {
    const v = toAuditEventView(entry({ details: { where: 'x'.repeat(5000) } }));
    expect(v.details[0]!.value.length).toBeLessThanOrEqual(201);
  });

  it('copes with an entry without resolution or actor role', () => {
    const v = toAuditEventView(
      entry({
        resolvedAt: null,
        actor: { staffId: null, email: 'anonymous', role: null },
        outcome: 'unknown',
      }),
    );
    expect(v.resolvedAt).toBeNull();
    expect(v.actorRole).toBeNull();
    expect(v.outcome).toBe('unknown');
    expect(v.reconciledBy).toBeNull();
  });

  it('names who reconciled an entry', () => {
    const v = toAuditEventView(
      entry({ reconciledBy: { staffId: 's2', email: 'sec@example.com', role: 'admin' } }),
    );
    expect(v.reconciledBy).toBe('sec@example.com');
  });
});

describe('maskTokens', () => {
  it('leaves ordinary text alone', () => {
    expect(maskTokens('user asked. eyJ is a prefix')).toBe('user asked. eyJ is a prefix');
  });
});

describe('targetHref', () => {
  it('links a session to its detail, else a user or client to their sessions', () => {
    expect(targetHref({ sessionId: 'sess_1', userId: 'user_1', clientId: null })).toBe('/sessions/sess_1');
    expect(targetHref({ sessionId: null, userId: 'user_1', clientId: 'client_1' })).toBe(
      '/sessions?user_id=user_1',
    );
    expect(targetHref({ sessionId: null, userId: null, clientId: 'client_1' })).toBe(
      '/sessions?client_id=client_1',
    );
    expect(targetHref({ sessionId: null, userId: null, clientId: null })).toBeNull();
  });

  it.each(['javascript:alert(1)', '../../admin', 'sess_1/../../x', '//evil.example'])(
    'never links a malformed id %j',
    (id) => {
      expect(targetHref({ sessionId: id, userId: id, clientId: id })).toBeNull();
    },
  );
});
