import { describe, expect, it } from 'vitest';
import { createLogger, redactValue, scrubSecrets } from './log';

const KEY = `sk_test_CANARY${'a1B2'.repeat(8)}`;
const LIVE = `sk_live_CANARY${'Z9y8'.repeat(8)}`;
// A real-shaped compact JWS (header {"alg":"RS256","typ":"JWT"}).
const JWT =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyX0NBTkFSWSIsImV4cCI6OTk5OTk5OTk5OX0.c2lnbmF0dXJlLUNBTkFSWS1zaWduYXR1cmU';
const OPAQUE = 'opaque-CANARY-value';

function capture(level = 'trace') {
  const lines: string[] = [];
  const logger = createLogger({ level }, { write: (s: string) => void lines.push(s) });
  return { logger, output: () => lines.join('') };
}

function expectClean(out: string) {
  expect(out).not.toContain('CANARY');
  expect(out).not.toContain(KEY);
  expect(out).not.toContain(JWT);
  for (const line of out.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
}

describe('logger redaction', () => {
  it('keeps keys and JWTs out of message strings, including printf arguments', () => {
    const { logger, output } = capture();
    logger.info(`upstream said key ${KEY} and token ${JWT}`);
    logger.warn('retrying with %s then %s', LIVE, JWT);
    logger.error({ sessionId: 'sess_2abc' }, `Authorization: Bearer ${OPAQUE}`);
    const out = output();
    expectClean(out);
    expect(out).toContain('sess_2abc');
    expect(out).toContain('[REDACTED_SECRET_KEY]');
    expect(out).toContain('[REDACTED_JWT]');
  });

  it('blanks sensitive keys at any depth, whatever their value looks like', () => {
    const { logger, output } = capture();
    logger.info(
      {
        password: OPAQUE,
        secretKey: OPAQUE,
        config: { clerkSecretKey: OPAQUE, authSecret: OPAQUE, oidc: { clientSecret: OPAQUE } },
        req: {
          headers: {
            authorization: OPAQUE,
            cookie: `authjs.session-token=${OPAQUE}`,
            'set-cookie': [OPAQUE],
            accept: 'text/html',
          },
        },
        deep: {
          a: { b: { c: { d: { token: OPAQUE, jwt: OPAQUE, refresh_token: OPAQUE, 'x-api-key': OPAQUE } } } },
        },
        list: [{ newPassword: OPAQUE }, { DATABASE_URL: OPAQUE }],
        visible: 'still-here',
      },
      'request',
    );
    const out = output();
    expectClean(out);
    expect(out).toContain('still-here');
    expect(out).toContain('text/html');
    expect(out).toContain('[REDACTED]');
  });

  it('scrubs secret-shaped strings under innocent keys and inside errors', () => {
    const { logger, output } = capture();
    const err = new Error(`request failed for ${KEY}`);
    err.stack = `Error: ${JWT}\n    at handler (${LIVE})`;
    logger.error({ err, detail: { note: `forwarded ${JWT}`, items: [`x ${KEY}`] } }, 'upstream failure');
    logger.error(err);
    logger.info({ url: 'postgres://console:CANARYpw@db.internal:5432/console' }, 'db');
    const out = output();
    expectClean(out);
    expect(out).toContain('postgres://console:[REDACTED]@db.internal:5432/console');
    expect(out).toContain('upstream failure');
  });

  it('scrubs a webhook signing secret (whsec_) from messages', () => {
    const { logger, output } = capture();
    const secret = `whsec_${Buffer.from('CANARY-webhook-secret-bytes').toString('base64')}`;
    logger.warn({ detail: `bad config ${secret}` }, `verify failed with ${secret}`);
    const out = output();
    expect(out).not.toContain(secret.slice(6));
    expect(out).toContain('[REDACTED_WEBHOOK_SECRET]');
  });

  it('redacts child logger bindings too', () => {
    const { logger, output } = capture();
    logger
      .child({ token: OPAQUE, refresh_token: OPAQUE, clientSecret: OPAQUE, key: KEY, requestId: 'req-1' })
      .info('child');
    const out = output();
    expectClean(out);
    expect(out).toContain('req-1');
  });

  it('survives circular and very deep objects', () => {
    const { logger, output } = capture();
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    let deep: Record<string, unknown> = { secret: OPAQUE };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    logger.info({ loop, deep }, 'shapes');
    const out = output();
    expectClean(out);
    expect(out).toContain('[Circular]');
  });

  it('respects the level', () => {
    const { logger, output } = capture('warn');
    logger.info('hidden');
    logger.warn('shown');
    expect(output()).not.toContain('hidden');
    expect(output()).toContain('shown');
  });
});

describe('scrubSecrets / redactValue', () => {
  it('replaces each secret shape and leaves ordinary text alone', () => {
    expect(scrubSecrets(`a ${KEY} b`)).toBe('a [REDACTED_SECRET_KEY] b');
    expect(scrubSecrets(`x=${JWT};`)).toBe('x=[REDACTED_JWT];');
    expect(scrubSecrets('Bearer abc.def')).toBe('Bearer [REDACTED]');
    expect(scrubSecrets('session sess_2abc for user_2def at eyJ-not-a-token')).toBe(
      'session sess_2abc for user_2def at eyJ-not-a-token',
    );
  });

  it('does not mutate what it is given', () => {
    const input = { password: OPAQUE, nested: { text: KEY } };
    redactValue(input);
    expect(input).toEqual({ password: OPAQUE, nested: { text: KEY } });
  });
});
