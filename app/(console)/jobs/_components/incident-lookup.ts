import { CONSOLE_FETCH_HEADER } from '@/lib/jobs/types';
import { paths } from '@/lib/paths';
import { CONSOLE_UNREACHABLE } from '@/components/forms/console-action';
import type { IncidentStreamLine } from '@/app/api/jobs/incident/route';

export type IncidentAnswer = Extract<IncidentStreamLine, { type: 'result' }>;
type Progress = Extract<IncidentStreamLine, { type: 'progress' }>;

export function progressText(p: Progress): string {
  switch (p.phase) {
    case 'parsed':
      return `Read ${p.lines.toLocaleString('en-US')} lines: looking up ${p.identifiers.toLocaleString('en-US')} emails and user ids…`;
    case 'looking_up':
      return `Looked up ${p.done.toLocaleString('en-US')} of ${p.total.toLocaleString('en-US')}…`;
    case 'counting':
      return `Counting the active sessions of ${p.users.toLocaleString('en-US')} users…`;
  }
}

/** Posts to a route handler, not a server action: server actions stop at 64 kB. */
export async function lookUpIncidentList(text: string, onProgress: (line: string) => void) {
  const res = await fetch(paths.api.jobIncident(), {
    method: 'POST',
    headers: { 'Content-Type': 'text/plain;charset=utf-8', [CONSOLE_FETCH_HEADER]: '1' },
    body: text,
    credentials: 'same-origin',
  });
  if (!res.ok || !res.body) {
    const message = (await res.text().catch(() => '')).trim();
    throw new IncidentLookupError(message || CONSOLE_UNREACHABLE, null);
  }
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (value) buffer += value;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl)) as IncidentStreamLine;
      buffer = buffer.slice(nl + 1);
      if (line.type === 'progress') onProgress(progressText(line));
      else if (line.type === 'error') throw new IncidentLookupError(line.message, line.traceId);
      else return line;
    }
    if (done) break;
  }
  throw new IncidentLookupError('The answer was cut short. Try again.', null);
}

export class IncidentLookupError extends Error {
  constructor(
    message: string,
    readonly traceId: string | null,
  ) {
    super(message);
    this.name = 'IncidentLookupError';
  }
}
