import type { SessionDto } from '@/lib/clerk/dto';
import type { ReviewedSignal } from '@/lib/risk/types';

/** The risk badges of the rows on one page, and the names of their countries. */
export interface SessionsRisk {
  signals: Record<string, ReviewedSignal[]>;
  countryNames: Record<string, string>;
}

/** One page of the sessions list as the page renders it and `GET /api/sessions` answers it. */
export interface SessionsPage {
  data: SessionDto[];
  totalCount: number;
  fetchedAt: number;
  /** Absent for a client's sessions, and when the risk read failed (the list is then served without badges). */
  risk?: SessionsRisk;
}
