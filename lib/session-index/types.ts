import type { SessionIndexSource } from '@/lib/db/schema';

export type { SessionIndexSource } from '@/lib/db/schema';

/** One indexed Clerk session; times are epoch milliseconds. */
export interface IndexedSession {
  sessionId: string;
  userId: string;
  clientId: string | null;
  status: string;
  createdAt: number;
  updatedAt: number;
  lastActiveAt: number | null;
  endedAt: number | null;
  expireAt: number | null;
  ip: string | null;
  ipKey: string | null;
  city: string | null;
  country: string | null;
  deviceType: string | null;
  browserName: string | null;
  browserVersion: string | null;
  isMobile: boolean | null;
  actor: string | null;
  userName: string | null;
  userEmail: string | null;
  userDeleted: boolean;
  source: SessionIndexSource;
  indexedAt: number;
}

/** What a delivery or a backfill page knows of a session; the store derives the rest. */
export type SessionIndexInput = Omit<
  IndexedSession,
  'ipKey' | 'userDeleted' | 'source' | 'indexedAt' | 'endedAt'
> & {
  endedAt?: number | null;
};

export interface UserSnapshot {
  userId: string;
  userName: string | null;
  userEmail: string | null;
  deleted: boolean;
  updatedAt: number;
}

export interface BackfillState {
  startedAt: number | null;
  finishedAt: number | null;
  users: number;
  /** Users filled plus those the API still lists behind the cursor, as of the last page (null: not known yet). */
  totalUsers?: number | null;
  sessions: number;
  /** Where the fill resumes (an offset into users by last_active_at desc); null when no fill is under way. */
  cursor: string | null;
}

export interface SessionIndexState {
  complete: boolean;
  backfill: BackfillState;
  lastDeliveryAt: number | null;
  lastLagMs: number | null;
}

export const LIVE_STATUSES: readonly string[] = ['active', 'pending'];
