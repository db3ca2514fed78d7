export const SIGNAL_KINDS = [
  'impossible_travel',
  'several_countries',
  'new_country',
  'new_device',
  'impersonation',
  'stale',
] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

export const SIGNAL_LABELS: Record<SignalKind, string> = {
  impossible_travel: 'Impossible travel',
  several_countries: 'Several countries',
  new_country: 'New country',
  new_device: 'New device',
  impersonation: 'Impersonation',
  stale: 'Stale',
};

export type Severity = 'high' | 'medium' | 'low';
