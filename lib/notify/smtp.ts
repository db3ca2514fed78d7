import 'server-only';
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';

export interface OutgoingMail {
  noticeId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export function smtpOptions(smtpUrl: string): SMTPTransport.Options {
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port) || (secure ? 465 : 587),
    secure,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    // A dead or silent server costs the background loop these seconds, never the action that queued the mail.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
    logger: false,
    debug: false,
  };
}

// What the Outbox shows: a kind of failure or the server's reply code, never credentials or the whole reply.
export function describeSmtpError(e: unknown): string {
  const err = e as { code?: string; responseCode?: number; syscall?: string };
  if (typeof err?.responseCode === 'number') return `SMTP ${err.responseCode}`;
  if (err?.code === 'ESOCKET') return err.syscall === 'connect' ? 'connection refused' : 'connection lost';
  switch (err?.code) {
    case 'ECONNECTION':
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ETIMEDOUT':
      return 'timed out';
    case 'EAUTH':
      return 'authentication failed';
    case 'ETLS':
      return 'TLS failed';
    case 'EENVELOPE':
      return 'address refused';
    default:
      return 'send failed';
  }
}

export function mailSender(smtpUrl: string, from: string) {
  const transport = nodemailer.createTransport(smtpOptions(smtpUrl));
  return {
    async send(m: OutgoingMail): Promise<string | null> {
      const info = await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
        messageId: `<${m.noticeId}@session-console>`,
        headers: { 'X-Console-Notice': m.noticeId },
      });
      return info.messageId ?? null;
    },
    close: () => transport.close(),
  };
}
