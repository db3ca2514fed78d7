import 'server-only';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { simpleParser, type AddressObject } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { log } from '@/lib/log';
import type { NoticeStore } from './store';

function addresses(a: AddressObject | AddressObject[] | undefined): string {
  const list = Array.isArray(a) ? a : a ? [a] : [];
  return list
    .flatMap((x) => x.value.map((v) => v.address ?? ''))
    .filter(Boolean)
    .join(', ');
}

export interface MailCatcher {
  url: string;
  close(): Promise<void>;
}

// Local mode's stand-in for a mail provider: loopback only, no TLS or login (nothing leaves the machine).
export async function startMailCatcher(store: NoticeStore): Promise<MailCatcher> {
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS', 'AUTH'],
    authOptional: true,
    size: 1024 * 1024,
    banner: 'Session Console local mail catcher',
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then(async (mail) => {
          const notice = mail.headers.get('x-console-notice');
          await store.catch({
            id: randomUUID(),
            noticeId: typeof notice === 'string' ? notice.slice(0, 100) : null,
            from: addresses(mail.from),
            to: addresses(mail.to),
            subject: (mail.subject ?? '').slice(0, 300),
            text: (mail.text ?? '').slice(0, 20_000),
            html: typeof mail.html === 'string' ? mail.html.slice(0, 50_000) : null,
            messageId: mail.messageId ?? null,
          });
          callback();
        })
        .catch((e: unknown) => {
          log.warn(
            { where: 'mail-catcher', err: e instanceof Error ? e.name : 'unknown' },
            'caught mail not stored',
          );
          callback(new Error('Message not stored'));
        });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
