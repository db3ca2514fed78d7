import { getDb } from '@/lib/db';
import { getEnv } from '@/lib/env';
import { requestContextFrom } from '@/lib/request-context';
import { receiveClerkWebhook } from '@/lib/session-index/receiver';

export const dynamic = 'force-dynamic';

// Clerk (Svix) signs each delivery: no staff sign-in here, and the signature is the only credential.
export async function POST(request: Request) {
  return receiveClerkWebhook(request, {
    db: await getDb(),
    signingSecret: getEnv().webhooks.signingSecret,
    ctx: requestContextFrom(request.headers),
  });
}
