import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { ReasonSettingsProvider } from './reason-codes-context';
import { TellUserField } from './tell-user-field';

function render(o: { noticesEnabled: boolean; hasEmail?: boolean }) {
  return renderToStaticMarkup(
    <ReasonSettingsProvider value={{ codes: [], ticketUrlTemplate: null, noticesEnabled: o.noticesEnabled }}>
      <TellUserField
        value={{ on: true, edited: null }}
        onChange={() => {}}
        kind="revoke"
        reasonCode="lost_device"
        ticket=""
        hasEmail={o.hasEmail}
      />
    </ReasonSettingsProvider>,
  );
}

const checkbox = (html: string) => /<input[^>]*type="checkbox"[^>]*>/.exec(html)?.[0] ?? '';

describe('Tell the user', () => {
  it('is offered when mail is set up and the user has an address', () => {
    const html = render({ noticesEnabled: true, hasEmail: true });
    expect(checkbox(html)).not.toContain('disabled');
    expect(html).not.toContain('no email address');
  });

  it('is offered disabled, saying why, when the user has no address or mail is not set up', () => {
    const noAddress = render({ noticesEnabled: true, hasEmail: false });
    expect(checkbox(noAddress)).toContain('disabled');
    expect(noAddress).toContain('This user has no email address.');
    const noMail = render({ noticesEnabled: false, hasEmail: true });
    expect(checkbox(noMail)).toContain('disabled');
    expect(noMail).toContain('Mail to users is not set up');
  });
});
