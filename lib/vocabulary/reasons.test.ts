import { describe, expect, it } from 'vitest';
import {
  checkTicketTemplate,
  DEFAULT_REASON_CODES,
  isReasonCode,
  parseReasonCodes,
  parseTicketRef,
  reasonLabel,
  ticketUrlFrom,
} from '@/lib/vocabulary/reasons';

describe('reason codes', () => {
  it('has the five defaults', () => {
    expect(DEFAULT_REASON_CODES.map((c) => c.code)).toEqual([
      'suspected_compromise',
      'user_request',
      'lost_device',
      'offboarding',
      'policy',
    ]);
  });

  it('reads a deployer list of code=Label and bare labels', () => {
    const codes = parseReasonCodes('fraud=Fraud ring, Legal hold ,  ');
    expect(codes).toEqual([
      { code: 'fraud', label: 'Fraud ring' },
      { code: 'legal_hold', label: 'Legal hold' },
    ]);
    expect(reasonLabel(codes, 'legal_hold')).toBe('Legal hold');
    expect(reasonLabel(codes, 'policy')).toBeNull();
    expect(isReasonCode(codes, 'fraud')).toBe(true);
    expect(isReasonCode(codes, 'Fraud')).toBe(false);
  });

  it('refuses duplicates, bad codes and markup in labels', () => {
    expect(() => parseReasonCodes('a=One,a=Two')).toThrow(/twice/);
    expect(() => parseReasonCodes('Bad Code=One')).toThrow(/code/);
    expect(() => parseReasonCodes('x=<script>')).toThrow(/label/);
    expect(() => parseReasonCodes(' , ')).toThrow(/no reason/);
  });
});

describe('tickets', () => {
  const template = 'https://support.example.com/tickets/{id}';

  it('builds a link with the id encoded', () => {
    expect(ticketUrlFrom(template, ' INC-42 ')).toBe('https://support.example.com/tickets/INC-42');
    expect(ticketUrlFrom(template, 'A#1')).toBe('https://support.example.com/tickets/A%231');
    expect(ticketUrlFrom('https://t.example/view?id={id}', 'x.y')).toBe('https://t.example/view?id=x.y');
  });

  it('refuses a reference that could change where the link goes', () => {
    for (const ref of ['../admin', 'a/b', 'javascript:alert(1)', '//evil.example', 'a b', '', 'x'.repeat(65)])
      expect(parseTicketRef(ref), ref).toBeNull();
    expect(ticketUrlFrom(template, '../../x')).toBeNull();
  });

  it('takes only http(s) templates with one {id} outside the host', () => {
    for (const bad of [
      'javascript:alert({id})',
      'https://{id}.example.com/',
      'https://support.example.com{id}',
      'https://user:pw@support.example.com/{id}',
      'https://support.example.com/tickets/',
      'https://support.example.com/{id}/{id}',
      'ftp://support.example.com/{id}',
    ])
      expect(checkTicketTemplate(bad), bad).toBeNull();
    expect(checkTicketTemplate(template)).toBe(template);
    expect(ticketUrlFrom(null, 'INC-1')).toBeNull();
  });
});
