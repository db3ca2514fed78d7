// Client-safe: a form previews the message it will send with the same words the server sends.

export const NOTICE_KINDS = ['revoke', 'bulk', 'secure'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

export interface NoticePreview {
  subject: string;
  text: string;
  html: string;
}

const SUBJECTS: Record<NoticeKind, string> = {
  revoke: 'You were signed out of one of your devices',
  bulk: 'You were signed out',
  secure: 'We secured your account',
};

const WHAT: Record<NoticeKind, string> = {
  revoke: 'Our support team signed you out of one of your devices.',
  bulk: 'Our support team signed you out of your account on your devices.',
  secure:
    'Our support team secured your account: you were signed out everywhere, and you may be asked to verify it is you when you next sign in.',
};

// Written for the person who was signed out: no staff names, no ids, no internal reason text.
const WHY: Record<string, string> = {
  suspected_compromise:
    'We saw activity that may not have been yours. If you did not expect this, change your password when you sign in again.',
  user_request: 'This was done at your request.',
  lost_device: 'This was done because a device of yours was reported lost or stolen.',
  offboarding: 'This was done because your access is ending.',
  policy: 'This was required by a security policy.',
};

const CLOSING =
  'You can sign in again at any time. If you have questions, reply to this email or contact support.';

export function noticeSubject(kind: NoticeKind): string {
  return SUBJECTS[kind];
}

export function previewUserNotice(o: {
  reasonCode: string;
  kind: NoticeKind;
  ticketRef?: string | null;
}): NoticePreview {
  const lines = ['Hello,', WHAT[o.kind], ...(WHY[o.reasonCode] ? [WHY[o.reasonCode]!] : []), CLOSING];
  if (o.ticketRef) lines.push(`Reference: ${o.ticketRef}`);
  const text = lines.join('\n\n');
  return { subject: noticeSubject(o.kind), text, html: noticeHtml(text) };
}

function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Paragraphs of escaped text: whatever a member typed, the mail carries no markup of theirs. */
export function noticeHtml(text: string): string {
  const paragraphs = text
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`);
  return `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${paragraphs.join('')}</body></html>`;
}
