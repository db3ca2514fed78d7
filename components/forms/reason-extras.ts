'use client';

// Light enough for a page's first load (no vocabulary lists): the fields themselves load with their dialog.

import { useState } from 'react';
import { useReasonSettings } from './reason-codes-context';

export interface ReasonExtras {
  reasonCode: string;
  ticket: string;
}

/** The first code of the deployer's list is preselected, so a form a member fills as before still sends one. */
export function useReasonExtras() {
  const { codes } = useReasonSettings();
  return useState<ReasonExtras>({ reasonCode: codes[0]?.code ?? '', ticket: '' });
}

export function reasonPayload(x: ReasonExtras): { reasonCode: string; ticket?: string } {
  const ticket = x.ticket.trim();
  return { reasonCode: x.reasonCode, ...(ticket ? { ticket } : {}) };
}
