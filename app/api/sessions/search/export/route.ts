import { staffRoute } from '@/lib/actions/staff-route';
import { getDb } from '@/lib/db';
import { log } from '@/lib/log';
import { eachMatch } from '@/lib/session-index/search';
import { searchCsvHeader, searchCsvRecords } from '@/lib/session-index/search-csv';
import { searchFiltersInput, toFilters } from '@/lib/session-index/search-query';

export const dynamic = 'force-dynamic';

const PAGE = 1000;
const MAX_EXPORT_ROWS = 100_000;

/** The search's matches as CSV, read in keyset pages while the download runs; another site's request is refused. */
export const GET = staffRoute(
  {
    name: '/api/sessions/search/export',
    access: 'sessions:read',
    query: searchFiltersInput,
    refuseCrossSite: true,
    failures: {
      body: 'text',
      messages: {
        unauthenticated: 'Sign in to the console first.',
        forbidden: 'Your role does not allow listing sessions.',
      },
    },
  },
  async (query) => {
    const db = await getDb();
    const pages = eachMatch(db, toFilters(query), { pageSize: PAGE, max: MAX_EXPORT_ROWS });
    const encoder = new TextEncoder();
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          controller.enqueue(encoder.encode(searchCsvHeader()));
        },
        async pull(controller) {
          try {
            const next = await pages.next();
            if (next.done) controller.close();
            else controller.enqueue(encoder.encode(searchCsvRecords(next.value)));
          } catch (e) {
            log.error(
              { where: 'sessions.search.export', err: e instanceof Error ? e.name : typeof e },
              'session search export failed',
            );
            controller.error(e);
          }
        },
        async cancel() {
          await pages.return(undefined);
        },
      },
      { highWaterMark: 1 },
    );
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    return new Response(body, {
      headers: {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="sessions-search-${stamp}.csv"`,
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
      },
    });
  },
);
