'use client';

import { useState } from 'react';
import { parseTicketRef } from '@/lib/vocabulary/reasons';
import { useReasonSettings } from './reason-codes-context';

export interface ReasonExtras {
  reasonCode: string;
  ticket: string;
}

export const TICKET_HINT_ERROR =
  'A ticket reference is letters, digits and . _ # - (at most 64), never a link.';

/** The first code of the deployer's list is preselected, so a form a member fills as before still sends one. */
export function useReasonExtras() {
  const { codes } = useReasonSettings();
  return useState<ReasonExtras>({ reasonCode: codes[0]?.code ?? '', ticket: '' });
}

export function ticketProblem(ticket: string): string | null {
  return ticket.trim() && !parseTicketRef(ticket) ? TICKET_HINT_ERROR : null;
}

export function reasonPayload(x: ReasonExtras): { reasonCode: string; ticket?: string } {
  const ticket = x.ticket.trim();
  return { reasonCode: x.reasonCode, ...(ticket ? { ticket } : {}) };
}
