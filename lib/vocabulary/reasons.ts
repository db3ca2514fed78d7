// Client-safe: the words a form, the audit page and a mail share. Imports nothing of ours.

export interface ReasonCode {
  code: string;
  label: string;
}

export const DEFAULT_REASON_CODES: readonly ReasonCode[] = Object.freeze([
  { code: 'suspected_compromise', label: 'Suspected compromise' },
  { code: 'user_request', label: 'User request' },
  { code: 'lost_device', label: 'Lost or stolen device' },
  { code: 'offboarding', label: 'Offboarding' },
  { code: 'policy', label: 'Policy' },
]);

export const REASON_CODE_PATTERN = /^[a-z][a-z0-9_]{0,39}$/;
const MAX_CODES = 30;
const MAX_LABEL = 60;

export class ReasonListError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReasonListError';
  }
}

function slug(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .replace(/^(\d)/, 'r_$1')
    .slice(0, 40);
}

/** `code=Label` or `Label` entries, comma separated; the messages never echo the value. */
export function parseReasonCodes(value: string): ReasonCode[] {
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  if (!entries.length) throw new ReasonListError('lists no reason code');
  if (entries.length > MAX_CODES) throw new ReasonListError(`lists more than ${MAX_CODES} reason codes`);
  const seen = new Set<string>();
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const label = (eq === -1 ? entry : entry.slice(eq + 1)).trim();
    const code = eq === -1 ? slug(label) : entry.slice(0, eq).trim();
    if (!REASON_CODE_PATTERN.test(code))
      throw new ReasonListError('has a code that is not lower-case letters, digits and _ (at most 40)');
    if (!label || label.length > MAX_LABEL || /[\x00-\x1f\x7f<>]/.test(label))
      throw new ReasonListError(
        `has a label that is empty, longer than ${MAX_LABEL} or holds < > or control characters`,
      );
    if (seen.has(code)) throw new ReasonListError('names a code twice');
    seen.add(code);
    return { code, label };
  });
}

/** A write's reason code and ticket as audit details: present only when given. */
export function reasonDetails(e: { reasonCode?: string | null; ticket?: string | null }) {
  return {
    ...(e.reasonCode ? { reasonCode: e.reasonCode } : {}),
    ...(e.ticket ? { ticket: e.ticket } : {}),
  };
}

export function reasonLabel(codes: readonly ReasonCode[], code: string | null | undefined): string | null {
  if (!code) return null;
  return codes.find((c) => c.code === code)?.label ?? null;
}

export function isReasonCode(codes: readonly ReasonCode[], code: unknown): code is string {
  return typeof code === 'string' && codes.some((c) => c.code === code);
}

// A ticket reference is an id, never a URL: only this set of characters, so it cannot carry a path or a scheme.
export const TICKET_REF_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._#-]{0,63}$/;

export function parseTicketRef(input: unknown): string | null {
  if (typeof input !== 'string') return null;
  const ref = input.trim();
  return TICKET_REF_PATTERN.test(ref) ? ref : null;
}

export const TICKET_PLACEHOLDER = '{id}';

/** Null when the template is unusable: not http(s), no single `{id}`, credentials, or `{id}` in the host. */
export function checkTicketTemplate(template: string): string | null {
  if (/[\s\x00-\x1f\x7f]/.test(template)) return null;
  if (template.split(TICKET_PLACEHOLDER).length !== 2) return null;
  let url: URL;
  try {
    url = new URL(template.replace(TICKET_PLACEHOLDER, 'x'));
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password) return null;
  const origin = `${url.protocol}//${url.host}`;
  const next = template.charAt(origin.length);
  if (!template.startsWith(origin) || !'/?#'.includes(next) || !next) return null;
  if (template.indexOf(TICKET_PLACEHOLDER) <= origin.length) return null;
  return template;
}

export function ticketUrlFrom(template: string | null, ref: unknown): string | null {
  const id = parseTicketRef(ref);
  if (!template || !id || !checkTicketTemplate(template)) return null;
  return template.replace(TICKET_PLACEHOLDER, encodeURIComponent(id));
}
