import { NextResponse } from 'next/server';
import { ssfJwks } from '@/lib/audit-stream';
import { getEnv } from '@/lib/env';
import { log } from '@/lib/log';

// Public by design: a Shared Signals receiver fetches it, without a console account, to verify our SETs.
export async function GET() {
  const ssf = getEnv().stream.ssf;
  if (!ssf) return NextResponse.json({ error: 'Shared Signals are not enabled.' }, { status: 404 });
  try {
    return NextResponse.json(await ssfJwks(ssf), { headers: { 'Cache-Control': 'public, max-age=300' } });
  } catch (e) {
    log.error({ where: 'ssf-jwks', err: e instanceof Error ? e.name : 'unknown' }, 'SSF key unavailable');
    return NextResponse.json({ error: 'The signing key is unavailable.' }, { status: 503 });
  }
}
