import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { UpstreamText } from './upstream-text';
import { Alert } from './alert';
import { ProgressBar } from './progress-bar';
import { StatusBadge } from './status-badge';
import { Pagination } from './pagination';
import { EmptyState } from './empty-state';

describe('UpstreamText', () => {
  it('renders hostile markup as text inside a bidi-isolated span', () => {
    const html = renderToStaticMarkup(<UpstreamText value={'<script>alert(1)</script>'} />);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('upstream-text');
  });

  it('keeps a bounded copy of a 2,000-character name (full value, capped, in the title)', () => {
    const name = 'A'.repeat(5000);
    const html = renderToStaticMarkup(<UpstreamText value={name} />);
    expect(html).toContain(`>${'A'.repeat(300)}…</span>`);
    expect(html).toContain(`title="${'A'.repeat(2000)}…"`);
    expect(html.length).toBeLessThan(2600);
  });

  it('shows the fallback for missing values', () => {
    expect(renderToStaticMarkup(<UpstreamText value={null} fallback="Unknown device" />)).toContain(
      'Unknown device',
    );
  });
});

describe('Alert', () => {
  it('announces errors as alerts and successes as status, with the trace id', () => {
    expect(
      renderToStaticMarkup(
        <Alert tone="error" traceId="tr_123">
          Nope
        </Alert>,
      ),
    ).toMatch(/^<div role="alert"[^>]*>.*Trace id: <code[^>]*>tr_123<\/code>/);
    expect(renderToStaticMarkup(<Alert tone="success">Done</Alert>)).toMatch(/^<div role="status"/);
    expect(
      renderToStaticMarkup(
        <Alert tone="error" role={null}>
          x
        </Alert>,
      ),
    ).not.toContain('role=');
  });
});

describe('ProgressBar', () => {
  it('exposes value and max to assistive technology, clamped', () => {
    const html = renderToStaticMarkup(<ProgressBar label="Revoke progress" value={12} max={10} />);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="10"');
    expect(html).toContain('aria-valuemax="10"');
    expect(html).toContain('aria-label="Revoke progress"');
  });
});

describe('StatusBadge', () => {
  it('labels every status in words, including ones it has never seen', () => {
    expect(renderToStaticMarkup(<StatusBadge status="revoked" />)).toContain('>Revoked<');
    expect(renderToStaticMarkup(<StatusBadge status="frozen" />)).toContain('>Frozen<');
  });
});

describe('Pagination', () => {
  it('shows the total and links to the neighbouring pages, keeping filters', () => {
    const html = renderToStaticMarkup(
      <Pagination
        pathname="/sessions"
        params={{ user_id: 'user_h', status: 'all' }}
        total={5000}
        limit={25}
        offset={25}
        noun="session"
      />,
    );
    expect(html).toContain('5,000');
    expect(html.replace(/<[^>]+>/g, '')).toContain('of 5,000 sessions');
    expect(html).toContain('Page 2 of 200');
    expect(html).toContain('href="/sessions?user_id=user_h&amp;status=all"'); // previous / first
    expect(html).toContain('href="/sessions?user_id=user_h&amp;status=all&amp;offset=50"');
    expect(html).toContain('href="/sessions?user_id=user_h&amp;status=all&amp;offset=4975"');
  });

  it('says "1 event" for one and "No events" for none', () => {
    const one = renderToStaticMarkup(
      <Pagination pathname="/audit" params={{}} total={1} limit={50} offset={0} noun="event" />,
    );
    expect(one.replace(/<[^>]+>/g, '')).toContain('Showing 1–1 of 1 event');
    expect(one.replace(/<[^>]+>/g, '')).not.toContain('1 events');
    const none = renderToStaticMarkup(
      <Pagination pathname="/audit" params={{}} total={0} limit={50} offset={0} noun="event" />,
    );
    expect(none).toContain('No events');
  });

  it('disables the links that lead nowhere', () => {
    const html = renderToStaticMarkup(
      <Pagination pathname="/users" params={{}} total={3} limit={25} offset={0} />,
    );
    expect(html).not.toContain('<a');
    expect(html).toContain('aria-disabled="true"');
  });
});

describe('EmptyState', () => {
  it('renders its title and description', () => {
    const html = renderToStaticMarkup(<EmptyState title="No users found" description="Try the email." />);
    expect(html).toContain('No users found');
    expect(html).toContain('Try the email.');
  });
});
