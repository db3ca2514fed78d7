import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { ReasonCode } from '@/lib/vocabulary/reasons';
import { ReasonSettingsProvider } from './reason-codes-context';
import { ReasonCodeFields } from './reason-code-fields';
import { CATEGORY_MISSING, reasonExtrasReady, useReasonExtras, type ReasonExtras } from './reason-extras';

const CODES: ReasonCode[] = [
  { code: 'suspected_compromise', label: 'Suspected compromise' },
  { code: 'user_request', label: 'User request' },
];

function withCodes(codes: readonly ReasonCode[], node: React.ReactNode) {
  return renderToStaticMarkup(
    <ReasonSettingsProvider value={{ codes, ticketUrlTemplate: null, noticesEnabled: false }}>
      {node}
    </ReasonSettingsProvider>,
  );
}

// The form's first state, as a member opening it sees it.
function Fresh() {
  const [extras] = useReasonExtras();
  return <ReasonCodeFields value={extras} onChange={() => {}} />;
}

const selected = (html: string) => /<option[^>]*selected=""[^>]*>([^<]*)</.exec(html)?.[1];

describe('the category of a write', () => {
  it('is not chosen for the member when the deployer lists several', () => {
    const html = withCodes(CODES, <Fresh />);
    expect(selected(html)).toBe('Choose a category…');
    expect(html).not.toContain(CATEGORY_MISSING);
    expect(html).not.toContain('aria-invalid');
  });

  it('is the only one when the deployer lists one', () => {
    const html = withCodes([CODES[1]!], <Fresh />);
    expect(selected(html)).toBe('User request');
    expect(html).not.toContain('Choose a category…');
  });

  it('holds a form back until one is chosen, and the field then says so', () => {
    let state: ReasonExtras = { reasonCode: '', ticket: '' };
    const set = (next: ReasonExtras | ((p: ReasonExtras) => ReasonExtras)) => {
      state = typeof next === 'function' ? next(state) : next;
    };
    expect(reasonExtrasReady(state, set)).toBe(false);
    expect(state.checked).toBe(true);
    const html = withCodes(CODES, <ReasonCodeFields value={state} onChange={() => {}} />);
    expect(html).toContain(CATEGORY_MISSING);
    expect(html).toMatch(/<select[^>]*aria-invalid="true"/);

    state = { ...state, reasonCode: 'user_request', ticket: 'https://evil.example/x' };
    expect(reasonExtrasReady(state, set)).toBe(false); // a link is never a ticket
    state = { ...state, ticket: 'SUP-1' };
    expect(reasonExtrasReady(state, set)).toBe(true);
    const after = withCodes(CODES, <ReasonCodeFields value={state} onChange={() => {}} />);
    expect(after).not.toContain(CATEGORY_MISSING);
    expect(selected(after)).toBe('User request');
  });
});
