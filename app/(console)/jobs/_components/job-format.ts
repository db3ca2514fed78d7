import type { JobView } from '@/lib/jobs/types';

export function processed(job: JobView): number {
  return job.total - job.counts.pending;
}

export function describeScope(job: JobView): string {
  const users = job.scope.userIds ?? [];
  switch (job.kind) {
    case 'sessions':
      return `${job.total.toLocaleString('en-US')} chosen sessions${users[0] ? ` of ${users[0]}` : ''}`;
    case 'users':
      return users.length === 1
        ? `Every active session of ${users[0]}`
        : `Every active session of several users`;
    case 'client':
      return `Every active session of client ${job.scope.clientId ?? ''}`;
    case 'user_except':
      return `Every active session of ${users[0] ?? 'the user'} except ${job.scope.keepSessionId ?? ''}`;
  }
}

export function rateOf(job: JobView, now: number): { perSecond: number | null; secondsLeft: number | null } {
  const done = processed(job);
  if (!job.startedAt || done === 0) return { perSecond: null, secondsLeft: null };
  const elapsed = Math.max(1, ((job.finishedAt ?? now) - job.startedAt) / 1000);
  const perSecond = done / elapsed;
  return { perSecond, secondsLeft: job.counts.pending > 0 ? Math.ceil(job.counts.pending / perSecond) : 0 };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const m = Math.floor(seconds / 60);
  return m < 60 ? `${m} min ${seconds % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

export const STATE_TONES = {
  queued: 'neutral',
  running: 'blue',
  paused: 'amber',
  cancelled: 'neutral',
  done: 'green',
  failed: 'red',
} as const;
