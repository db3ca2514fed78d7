import { Badge, type BadgeTone } from './badge';

/** Every Clerk session status and the tone it is shown in; an unknown future status renders neutral. */
export const STATUS_TONES: Record<string, BadgeTone> = {
  active: 'green',
  pending: 'blue',
  revoked: 'red',
  removed: 'red',
  ended: 'neutral',
  expired: 'amber',
  abandoned: 'amber',
  replaced: 'purple',
};

export function statusLabel(status: string): string {
  return status ? status.charAt(0).toUpperCase() + status.slice(1) : 'Unknown';
}

/** A session status as a coloured, labelled pill ("Active", "Revoked", …). */
export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'} className={className}>
      {statusLabel(status)}
    </Badge>
  );
}
