export const dynamic = 'force-dynamic';

/** Liveness only: says nothing about configuration or upstream state. */
export function GET() {
  return Response.json({ ok: true });
}
