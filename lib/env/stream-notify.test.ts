import { describe, expect, it } from 'vitest';
import { parseNotify } from './notify';
import { parseReasons } from './reasons';
import { MAX_STREAM_RECEIVERS, parseStream } from './stream';

const SECRET = `whsec_${Buffer.from('0123456789abcdef0123456789abcdef').toString('base64')}`;
const base = { allowLoopbackHttp: false, dataDir: '/tmp/data', databaseUrl: null, authUrl: null, port: 3000 };

describe('AUDIT_STREAM_* and SSF_*', () => {
  it('reads up to five named receivers, https or loopback http', () => {
    const cfg = parseStream(
      {
        AUDIT_STREAM_URL: 'https://siem.example.com/hook',
        AUDIT_STREAM_SECRET: SECRET,
        AUDIT_STREAM_2_URL: 'http://127.0.0.1:9000/x',
        AUDIT_STREAM_2_SECRET: SECRET,
        AUDIT_STREAM_2_NAME: 'lake',
      },
      base,
    );
    expect(cfg.receivers.map((r) => [r.name, r.url])).toEqual([
      ['siem', 'https://siem.example.com/hook'],
      ['lake', 'http://127.0.0.1:9000/x'],
    ]);
    expect(cfg.ssf).toBeNull();
    expect(MAX_STREAM_RECEIVERS).toBe(5);
  });

  it('refuses a half-set receiver, a weak or foreign secret, plain http elsewhere, and never echoes the value', () => {
    const bad: Record<string, string>[] = [
      { AUDIT_STREAM_URL: 'https://siem.example.com' },
      { AUDIT_STREAM_URL: 'https://siem.example.com', AUDIT_STREAM_SECRET: 'hunter2-not-whsec' },
      { AUDIT_STREAM_URL: 'https://siem.example.com', AUDIT_STREAM_SECRET: 'whsec_c2hvcnQ=' },
      { AUDIT_STREAM_URL: 'http://siem.example.com', AUDIT_STREAM_SECRET: SECRET },
      { AUDIT_STREAM_URL: 'https://u:p@siem.example.com', AUDIT_STREAM_SECRET: SECRET },
      { AUDIT_STREAM_URL: 'https://a.example', AUDIT_STREAM_SECRET: SECRET, AUDIT_STREAM_NAME: 'ssf' },
      { SSF_AUDIENCE: 'https://x.example' },
      { SSF_RECEIVER_URL: 'https://ssf.example.com/events', SSF_SIGNING_KEY: '{"kty":"RSA"}' },
    ];
    for (const source of bad) {
      let message = '';
      try {
        parseStream(source, base);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, JSON.stringify(source)).not.toBe('');
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain('siem.example.com');
    }
  });

  it('defaults the SSF audience and issuer, and wants one shared key with PostgreSQL', () => {
    const ssf = parseStream(
      { SSF_RECEIVER_URL: 'https://ssf.example.com/events' },
      { ...base, authUrl: 'https://console.example.com/x' },
    ).ssf;
    expect(ssf).toMatchObject({
      audience: 'https://ssf.example.com',
      issuer: 'https://console.example.com',
      signingKey: null,
    });
    expect(ssf!.keyFile).toBe('/tmp/data/ssf-signing-key.json');
    expect(() =>
      parseStream(
        { SSF_RECEIVER_URL: 'https://ssf.example.com/events' },
        { ...base, databaseUrl: 'postgres://db/x' },
      ),
    ).toThrow(/SSF_SIGNING_KEY/);
  });
});

describe('SMTP_*, REASON_CODES and TICKET_URL_TEMPLATE', () => {
  it('catches mail locally unless SMTP_URL is set, and refuses header injection in SMTP_FROM', () => {
    expect(parseNotify({}, 'local')).toMatchObject({ smtpUrl: null, localCatcher: true, maxAttempts: 8 });
    expect(parseNotify({}, 'remote')).toMatchObject({ smtpUrl: null, localCatcher: false });
    expect(parseNotify({ SMTP_URL: 'smtps://u:p@mail.example.com' }, 'local').localCatcher).toBe(false);
    expect(() => parseNotify({ SMTP_URL: 'https://mail.example.com' }, 'local')).toThrow(/smtp:\/\//);
    expect(() => parseNotify({ SMTP_FROM: 'a@b.example\r\nBcc: x@evil.example' }, 'local')).toThrow(
      /SMTP_FROM/,
    );
  });

  it('reads the reason codes and a ticket template', () => {
    const r = parseReasons({
      REASON_CODES: 'fraud=Fraud',
      TICKET_URL_TEMPLATE: 'https://support.example.com/t/{id}',
    });
    expect(r.reasonCodes).toEqual([{ code: 'fraud', label: 'Fraud' }]);
    expect(r.ticketUrlTemplate).toBe('https://support.example.com/t/{id}');
    expect(parseReasons({}).reasonCodes).toHaveLength(5);
    expect(() => parseReasons({ TICKET_URL_TEMPLATE: 'javascript:alert({id})' })).toThrow(
      /TICKET_URL_TEMPLATE/,
    );
    expect(() => parseReasons({ REASON_CODES: 'a=x,a=y' })).toThrow(/REASON_CODES names a code twice/);
  });
});
