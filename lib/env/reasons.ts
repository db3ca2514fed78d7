import 'server-only';
import {
  checkTicketTemplate,
  DEFAULT_REASON_CODES,
  parseReasonCodes,
  ReasonListError,
  type ReasonCode,
} from '@/lib/vocabulary/reasons';
import { ConfigError, raw, type EnvSource } from './parse';

export interface ReasonsConfig {
  reasonCodes: readonly ReasonCode[];
  ticketUrlTemplate: string | null;
}

export function parseReasons(source: EnvSource): ReasonsConfig {
  const list = raw(source, 'REASON_CODES');
  let reasonCodes: readonly ReasonCode[] = DEFAULT_REASON_CODES;
  if (list !== undefined) {
    try {
      reasonCodes = parseReasonCodes(list);
    } catch (e) {
      throw new ConfigError(`REASON_CODES ${e instanceof ReasonListError ? e.message : 'is not valid'}.`);
    }
  }
  const template = raw(source, 'TICKET_URL_TEMPLATE');
  if (template !== undefined && !checkTicketTemplate(template))
    throw new ConfigError(
      'TICKET_URL_TEMPLATE must be an http(s) URL with one {id} in its path or query, e.g. https://support.example.com/tickets/{id}.',
    );
  return { reasonCodes, ticketUrlTemplate: template ?? null };
}
