// Every change to a session or a user becomes a row here, inside the change's own transaction (triggers), so the
// sender (webhook-sender.ts) delivers each one even across a restart. Off unless a sender switched it on.
import type Database from 'better-sqlite3';
import { SESSION_JSON_SQL } from './serialize';

const ON = `(SELECT value FROM meta WHERE key = 'webhooks') = 'on'`;
const MSG_ID = `'msg_' || lower(hex(randomblob(14)))`;
const SESSION_DOC = SESSION_JSON_SQL.replace(/\n/g, ' ');

export const OUTBOX_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhook_outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  msg_id TEXT NOT NULL,
  type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  doc TEXT,
  client_ip TEXT,
  user_agent TEXT,
  at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_sends (
  seq INTEGER NOT NULL,
  endpoint TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_at INTEGER NOT NULL,
  first_at INTEGER NOT NULL,
  PRIMARY KEY (seq, endpoint)
);
CREATE INDEX IF NOT EXISTS webhook_sends_due ON webhook_sends (next_at);

CREATE TRIGGER IF NOT EXISTS webhook_session_created AFTER INSERT ON sessions
WHEN ${ON} AND new.status IN ('active', 'pending')
BEGIN
  INSERT INTO webhook_outbox (msg_id, type, object_id, doc, at)
  SELECT ${MSG_ID}, CASE new.status WHEN 'pending' THEN 'session.pending' ELSE 'session.created' END, new.id,
    ${SESSION_DOC}, new.updated_at FROM sessions WHERE id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS webhook_session_status AFTER UPDATE OF status ON sessions
WHEN ${ON} AND new.status <> old.status AND new.status IN ('revoked', 'ended', 'removed', 'active')
BEGIN
  INSERT INTO webhook_outbox (msg_id, type, object_id, doc, at)
  SELECT ${MSG_ID}, CASE new.status WHEN 'active' THEN 'session.created' ELSE 'session.' || new.status END, new.id,
    ${SESSION_DOC}, new.updated_at FROM sessions WHERE id = new.id;
END;

CREATE TRIGGER IF NOT EXISTS webhook_user_created AFTER INSERT ON users
WHEN ${ON}
BEGIN
  INSERT INTO webhook_outbox (msg_id, type, object_id, at) VALUES (${MSG_ID}, 'user.created', new.id, new.updated_at);
END;

CREATE TRIGGER IF NOT EXISTS webhook_user_updated AFTER UPDATE OF doc ON users
WHEN ${ON} AND (old.first_name IS NOT new.first_name OR old.last_name IS NOT new.last_name
  OR old.email_address IS NOT new.email_address OR old.banned IS NOT new.banned
  OR json_extract(old.doc, '$.locked') IS NOT json_extract(new.doc, '$.locked'))
BEGIN
  INSERT INTO webhook_outbox (msg_id, type, object_id, at) VALUES (${MSG_ID}, 'user.updated', new.id, new.updated_at);
END;

CREATE TRIGGER IF NOT EXISTS webhook_user_deleted AFTER DELETE ON users
WHEN ${ON}
BEGIN
  INSERT INTO webhook_outbox (msg_id, type, object_id, at)
  VALUES (${MSG_ID}, 'user.deleted', old.id, CAST(unixepoch('subsec') * 1000 AS INTEGER));
END;
`;

export interface OutboxRow {
  seq: number;
  msg_id: string;
  type: string;
  object_id: string;
  doc: string | null;
  client_ip: string | null;
  user_agent: string | null;
  at: number;
}

export interface DueSend extends OutboxRow {
  endpoint: string;
  attempts: number;
  first_at: number;
}

export function setWebhooksOn(db: Database.Database, on: boolean): void {
  db.prepare(
    `INSERT INTO meta (key, value) VALUES ('webhooks', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
  ).run(on ? 'on' : 'off');
  if (!on) db.exec('DELETE FROM webhook_sends; DELETE FROM webhook_outbox;');
}

export function lastOutboxSeq(db: Database.Database): number {
  return (db.prepare('SELECT max(seq) AS n FROM webhook_outbox').get() as { n: number | null }).n ?? 0;
}

/** Attributes the changes a request made (seq after `since`) to its caller, as Clerk's event_attributes do. */
export function attribute(db: Database.Database, since: number, ip: string | null, ua: string | null): void {
  db.prepare(
    'UPDATE webhook_outbox SET client_ip = ?, user_agent = ? WHERE seq > ? AND client_ip IS NULL AND user_agent IS NULL',
  ).run(ip ?? '', (ua ?? '').slice(0, 300), since);
}
