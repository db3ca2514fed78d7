import { Badge, type BadgeTone } from '@/components/ui/badge';
import { OUTCOME_EXPLANATIONS } from './audit-view';

const TONES: Record<string, BadgeTone> = {
  pending: 'blue',
  succeeded: 'green',
  failed: 'red',
  denied: 'red',
  unknown: 'amber',
};

function label(outcome: string): string {
  return outcome ? outcome.charAt(0).toUpperCase() + outcome.slice(1) : 'Unknown';
}

export function OutcomeBadge({ outcome, times = null }: { outcome: string; times?: number | null }) {
  return (
    <Badge tone={TONES[outcome] ?? 'neutral'} title={OUTCOME_EXPLANATIONS[outcome]}>
      {label(outcome)}
      {times !== null ? ` ×${times.toLocaleString('en-US')}` : null}
    </Badge>
  );
}
