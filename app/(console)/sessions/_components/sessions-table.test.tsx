import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { SessionDto } from '@/lib/clerk/dto';
import type { ReviewedSignal } from '@/lib/risk/types';
import { SessionsTable, type SessionsTableProps } from './sessions-table';

const NOW = Date.now();

type Activity = NonNullable<SessionDto['latestActivity']>;

/** A latest activity with no device or browser, and the place fields given. */
const activity = (place: Pick<Activity, 'ipAddress' | 'city' | 'country'>): Activity => ({
  deviceType: null,
  browserName: null,
  browserVersion: null,
  isMobile: false,
  ...place,
});

const session = (id: string, extra: Partial<SessionDto> = {}): SessionDto => ({
  id,
  userId: 'user_ada',
  clientId: `client_of_${id}`,
  status: 'active',
  lastActiveAt: NOW - 60_000,
  expireAt: NOW + 7 * 86_400_000,
  abandonAt: NOW + 30 * 86_400_000,
  createdAt: NOW - 3_600_000,
  updatedAt: NOW - 60_000,
  lastActiveOrganizationId: null,
  actor: null,
  latestActivity: {
    deviceType: 'Macintosh',
    browserName: 'Safari',
    browserVersion: '18.1',
    isMobile: false,
    ipAddress: '192.0.2.100',
    city: 'London',
    country: 'GB',
  },
  ...extra,
});

const impersonationSignal = (sessionId: string): ReviewedSignal => ({
  sessionId,
  kind: 'impersonation',
  severity: 'medium',
  evidence: 'Active session opened by user_admin via https://dashboard.clerk.com',
  fingerprint: 'f',
  review: null,
});

function render(rows: SessionDto[], extra: Partial<SessionsTableProps> = {}) {
  const html = renderToStaticMarkup(
    <SessionsTable
      rows={rows}
      canRevoke
      rowSelection={{}}
      onRowSelectionChange={() => {}}
      onRevoke={() => {}}
      onKeepOnly={() => {}}
      pendingIds={new Set()}
      linkClients
      countryNames={{ GB: 'United Kingdom' }}
      {...extra}
    />,
  );
  const headers = [...html.matchAll(/<th[^>]*>(.*?)<\/th>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
  const cell = (sessionId: string, column: string) => {
    const row = html.split(`data-session-id="${sessionId}"`)[1]!.split('</tr>')[0]!;
    return row.split(`data-column="${column}"`)[1]!.split('</td>')[0]!;
  };
  return { html, headers, cell };
}

describe('SessionsTable', () => {
  it('has nine columns for staff who can revoke, the actions last', () => {
    const { headers } = render([session('sess_a')], { signals: {} });
    expect(headers).toEqual([
      '',
      'Session',
      'Status',
      'Signals',
      'Device',
      'IP and place',
      'Last active',
      'Expires',
      'Actions',
    ]);
  });

  it('names the client under the device, linked to its sessions, except on the client’s own page', () => {
    const linked = render([session('sess_a')]).cell('sess_a', 'device');
    expect(linked).toContain('Macintosh');
    expect(linked).toContain('href="/sessions?client_id=client_of_sess_a"');
    const own = render([session('sess_a')], { linkClients: false }).html;
    expect(own).not.toContain('client_of_sess_a');
  });

  it('puts the place, with the country named, under the IP', () => {
    const { cell } = render([
      session('sess_a'),
      session('sess_b', {
        latestActivity: activity({ ipAddress: null, city: null, country: null }),
      }),
    ]);
    expect(cell('sess_a', 'ip')).toContain('192.0.2.100');
    expect(cell('sess_a', 'ip')).toContain('London, United Kingdom');
    expect(cell('sess_b', 'ip')).toContain('No IP');
    expect(cell('sess_b', 'ip')).toContain('Unknown place');
  });

  it('wraps the place instead of cutting the country, and bounds a hostile city', () => {
    const city = `Llan${'f'.repeat(500)}`;
    const { cell } = render([
      session('sess_a'),
      session('sess_b', {
        latestActivity: activity({ ipAddress: '192.0.2.7', city, country: 'GB' }),
      }),
    ]);
    // The IP's span, then the place's: the last span of the cell.
    const place = (id: string) =>
      [...cell(id, 'ip').matchAll(/<span title="([^"]*)" class="([^"]*)">([^<]*)<\/span>/g)].at(-1)!;
    expect(place('sess_a')[2]).toContain('break-words');
    expect(place('sess_a')[2]).not.toContain('truncate');
    const [, title, , shown] = place('sess_b');
    expect(shown).toBe(`${`${city}, United Kingdom`.slice(0, 80)}…`);
    expect(title).toBe(`${city}, United Kingdom`);
  });

  it('shows when the session was created under when it was last active', () => {
    const at = new Date(NOW - 3_600_000).toISOString();
    expect(render([session('sess_a')]).cell('sess_a', 'lastActiveAt')).toMatch(
      new RegExp(`<time dateTime="${at}"[^>]*>created `),
    );
  });

  it('marks impersonation under the id once: not again where the impersonation signal says it', () => {
    const actor = { sub: 'user_admin', iss: 'https://dashboard.clerk.com' };
    const rows = [session('sess_a', { actor }), session('sess_b', { actor })];
    const withoutSignals = render(rows);
    expect(withoutSignals.cell('sess_a', 'id')).toContain('Impersonation');
    const withSignal = render(rows, { signals: { sess_a: [impersonationSignal('sess_a')] } });
    expect(withSignal.cell('sess_a', 'id')).not.toContain('Impersonation');
    expect(withSignal.cell('sess_a', 'signals')).toContain('Impersonation');
    // The other session's signals were not read: its id still carries the marker.
    expect(withSignal.cell('sess_b', 'id')).toContain('Impersonation');
  });

  it('has no selection or actions for a viewer', () => {
    const { headers, html } = render([session('sess_a')], { canRevoke: false });
    expect(headers).toEqual(['Session', 'Status', 'Device', 'IP and place', 'Last active', 'Expires']);
    expect(html).not.toContain('Revoke');
    expect(html).not.toContain('type="checkbox"');
  });
});
