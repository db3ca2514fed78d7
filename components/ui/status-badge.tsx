import { Badge, type BadgeTone } from './badge';

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

export function StatusBadge({ status, className }: { status: string; className?: string }) {
  return (
    <Badge tone={STATUS_TONES[status] ?? 'neutral'} className={className}>
      {statusLabel(status)}
    </Badge>
  );
}
