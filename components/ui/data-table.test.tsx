import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { Table, TableBody, TableHead, Td, Th, Tr } from './data-table';

const people = [
  { id: 'user_a', name: 'Ada', selected: true },
  { id: 'user_b', name: 'Grace', selected: false },
];

function render(table: 'plain' | 'captioned' | 'focusable') {
  const rows = (
    <>
      <TableHead>
        <Th className="w-[40%]">Name</Th>
        <Th>
          <span className="sr-only">Actions</span>
        </Th>
      </TableHead>
      <TableBody>
        {people.map((p) => (
          <Tr key={p.id} data-user-id={p.id} data-testid="person" selected={p.selected}>
            <Td data-column="name">{p.name}</Td>
            <Td>
              <input type="checkbox" aria-label={`Select ${p.name}`} />
            </Td>
          </Tr>
        ))}
      </TableBody>
    </>
  );
  if (table === 'plain') return renderToStaticMarkup(<Table minWidth={960}>{rows}</Table>);
  if (table === 'captioned') return renderToStaticMarkup(<Table caption="People">{rows}</Table>);
  return renderToStaticMarkup(
    <Table caption="People" focusable>
      {rows}
    </Table>,
  );
}

describe('Table', () => {
  it('gives every header cell scope="col", in order, in one header row', () => {
    const html = render('plain');
    const thead = html.match(/<thead[^>]*>(.*)<\/thead>/)?.[1] ?? '';
    expect(thead.match(/<tr/g)).toHaveLength(1);
    const headers = [...thead.matchAll(/<th\b([^>]*)>(.*?)<\/th>/g)];
    expect(headers.map((h) => h[2])).toEqual(['Name', '<span class="sr-only">Actions</span>']);
    for (const h of headers) expect(h[1]).toContain('scope="col"');
  });

  it('renders plain labels as the same column headers', () => {
    const html = renderToStaticMarkup(
      <Table>
        <TableHead labels={['Session', 'Trace id']} />
      </Table>,
    );
    expect(
      [...html.matchAll(/<th\b([^>]*)>(.*?)<\/th>/g)].map((h) => [h[2], h[1]!.includes('scope="col"')]),
    ).toEqual([
      ['Session', true],
      ['Trace id', true],
    ]);
  });

  it('passes data attributes and labels through to the rows and cells of the body', () => {
    const html = render('plain');
    const body = html.match(/<tbody[^>]*>(.*)<\/tbody>/)?.[1] ?? '';
    const rows = [...body.matchAll(/<tr([^>]*)>/g)].map((r) => r[1]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toContain('data-user-id="user_a"');
    expect(rows[0]).toContain('data-testid="person"');
    expect(rows[1]).toContain('data-user-id="user_b"');
    expect(body).toContain('<td data-column="name"');
    expect(body).toContain('aria-label="Select Grace"');
  });

  it('marks only the selected rows with data-selected', () => {
    const rows = [...render('plain').matchAll(/<tr([^>]*data-user-id="(user_\w)"[^>]*)>/g)];
    expect(rows.map((r) => [r[2], r[1]!.includes('data-selected="true"')])).toEqual([
      ['user_a', true],
      ['user_b', false],
    ]);
  });

  it('scrolls below its minimum width, with no caption or extra tab stop unless asked', () => {
    const html = render('plain');
    expect(html).toMatch(/<table[^>]*style="min-width:960px"/);
    expect(html).not.toContain('<caption');
    expect(html).not.toContain('role="region"');
    expect(html).not.toContain('tabindex');
  });

  it('names the table with a screen-reader caption', () => {
    const html = render('captioned');
    expect(html).toMatch(/<table[^>]*><caption class="sr-only">People<\/caption><thead/);
    expect(html).not.toContain('role="region"');
  });

  it('as focusable, makes the scroller a region named by the caption that keyboard users can reach', () => {
    const html = render('focusable');
    expect(html).toMatch(/^<div[^>]*role="region"[^>]*>/);
    const frame = html.match(/^<div([^>]*)>/)?.[1] ?? '';
    expect(frame).toContain('aria-label="People"');
    expect(frame).toContain('tabindex="0"');
    expect(html).toContain('<caption class="sr-only">People</caption>');
  });
});
