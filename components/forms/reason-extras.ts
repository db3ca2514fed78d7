'use client';

// Light enough for a page's first load (no vocabulary lists): the fields themselves load with their dialog.

import { useState, type Dispatch, type SetStateAction } from 'react';
import { parseTicketRef } from '@/lib/vocabulary/reasons';
import { useReasonSettings } from './reason-codes-context';

export interface ReasonExtras {
  reasonCode: string;
  ticket: string;
  /** The member tried to send: a category still missing shows its error from then on. */
  checked?: boolean;
}

export const CATEGORY_MISSING = 'Choose a category.';
const TICKET_HINT_ERROR = 'A ticket reference is letters, digits and . _ # - (at most 64), never a link.';

export function ticketProblem(ticket: string): string | null {
  return ticket.trim() && !parseTicketRef(ticket) ? TICKET_HINT_ERROR : null;
}

/**
 * No category is preselected (unless the deployer lists only one): a default would be counted, and worded in the
 * user's email, for every member who never chose it.
 */
export function useReasonExtras() {
  const { codes } = useReasonSettings();
  return useState<ReasonExtras>({ reasonCode: codes.length === 1 ? codes[0]!.code : '', ticket: '' });
}

export function reasonExtrasProblem(x: ReasonExtras): string | null {
  return x.reasonCode ? ticketProblem(x.ticket) : CATEGORY_MISSING;
}

/** Before a form sends: false (and the fields show why) while the category is missing or the ticket is not one. */
export function reasonExtrasReady(x: ReasonExtras, set: Dispatch<SetStateAction<ReasonExtras>>): boolean {
  if (!reasonExtrasProblem(x)) return true;
  if (!x.checked) set({ ...x, checked: true });
  return false;
}

export function reasonPayload(x: ReasonExtras): { reasonCode: string; ticket?: string } {
  const ticket = x.ticket.trim();
  return { reasonCode: x.reasonCode, ...(ticket ? { ticket } : {}) };
}
