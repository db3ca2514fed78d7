import 'server-only';
import type { Db } from '@/lib/db';
import type { StreamConfig } from '@/lib/env/stream';
import { caepSender, intentOf, isRevoke } from './caep';
import { intentReasons } from './rows';
import { webhookSender } from './webhook';
import type { StreamTarget } from './worker';

export const SSF_RECEIVER = 'ssf';

export function streamTargets(
  db: Db,
  cfg: Pick<StreamConfig, 'receivers' | 'ssf' | 'timeoutMs'>,
): StreamTarget[] {
  const targets: StreamTarget[] = cfg.receivers.map((r) => ({
    name: r.name,
    kind: 'webhook',
    wants: () => true,
    send: webhookSender(r, cfg.timeoutMs),
  }));
  if (cfg.ssf) {
    const send = caepSender(cfg.ssf, cfg.timeoutMs);
    targets.push({
      name: SSF_RECEIVER,
      kind: 'ssf',
      wants: isRevoke,
      async send(row) {
        const intent = intentOf(row);
        const reason = intent ? ((await intentReasons(db, [intent])).get(intent) ?? null) : null;
        await send(row, reason);
      },
    });
  }
  return targets;
}
