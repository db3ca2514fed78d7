'use client';

import { createContext, use, type ReactNode } from 'react';
import type { ReasonCode } from '@/lib/vocabulary/reasons';

export interface ReasonSettings {
  codes: readonly ReasonCode[];
  ticketUrlTemplate: string | null;
  noticesEnabled: boolean;
}

const ReasonSettingsContext = createContext<ReasonSettings>({
  codes: [],
  ticketUrlTemplate: null,
  noticesEnabled: false,
});

/** The deployer's list reaches the forms from the layout (the env is server-only). */
export function ReasonSettingsProvider({ value, children }: { value: ReasonSettings; children: ReactNode }) {
  return <ReasonSettingsContext value={value}>{children}</ReasonSettingsContext>;
}

export function useReasonSettings(): ReasonSettings {
  return use(ReasonSettingsContext);
}
