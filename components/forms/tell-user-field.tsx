'use client';

import { useId } from 'react';
import { previewUserNotice, type NoticeKind } from '@/lib/notify/templates';
import { useReasonSettings } from './reason-codes-context';

export const NOTICE_MAX = 4000;

export interface TellUser {
  on: boolean;
  /** Null until the member edits it: the preview then follows the reason code. */
  edited: string | null;
}

export const TELL_USER_OFF: TellUser = { on: false, edited: null };

export function noticeText(t: TellUser, kind: NoticeKind, reasonCode: string, ticket: string): string {
  return t.edited ?? previewUserNotice({ kind, reasonCode, ticketRef: ticket.trim() || null }).text;
}

export function noticePayload(
  t: TellUser,
  kind: NoticeKind,
  reasonCode: string,
  ticket: string,
): { notify?: { message: string } } {
  return t.on ? { notify: { message: noticeText(t, kind, reasonCode, ticket).slice(0, NOTICE_MAX) } } : {};
}

/** Off by default; the message is written for the user and the member can edit it before sending. */
export function TellUserField({
  value,
  onChange,
  kind,
  reasonCode,
  ticket,
  hasEmail = true,
}: {
  value: TellUser;
  onChange: (next: TellUser) => void;
  kind: NoticeKind;
  reasonCode: string;
  ticket: string;
  hasEmail?: boolean;
}) {
  const { noticesEnabled } = useReasonSettings();
  const id = useId();
  const why = !noticesEnabled
    ? 'Mail to users is not set up on this console (SMTP_URL).'
    : !hasEmail
      ? 'This user has no email address.'
      : null;
  const subject = previewUserNotice({ kind, reasonCode }).subject;
  return (
    <fieldset className="space-y-2 rounded-md border border-gray-200 p-3 dark:border-gray-800">
      <div className="flex items-start gap-2">
        <input
          id={`${id}-on`}
          type="checkbox"
          checked={value.on && !why}
          disabled={Boolean(why)}
          onChange={(e) => onChange({ ...value, on: e.target.checked })}
          aria-describedby={why ? `${id}-why` : undefined}
          className="mt-1"
        />
        <label htmlFor={`${id}-on`} className="text-sm font-medium">
          Tell the user by email
        </label>
      </div>
      {why ? (
        <p id={`${id}-why`} className="text-xs text-gray-600 dark:text-gray-400">
          {why}
        </p>
      ) : null}
      {value.on && !why ? (
        <div>
          <p className="text-xs text-gray-600 dark:text-gray-400">
            Subject: {subject}. Sent after the action succeeds; it never includes your reason or name.
          </p>
          <label htmlFor={`${id}-msg`} className="mt-2 block text-sm font-medium">
            Message to the user
          </label>
          <textarea
            id={`${id}-msg`}
            name="noticeMessage"
            rows={7}
            maxLength={NOTICE_MAX}
            value={noticeText(value, kind, reasonCode, ticket)}
            onChange={(e) => onChange({ ...value, edited: e.target.value })}
            className="mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950"
          />
        </div>
      ) : null}
    </fieldset>
  );
}
