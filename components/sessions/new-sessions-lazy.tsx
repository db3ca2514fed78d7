'use client';

import dynamic from 'next/dynamic';

// It shows nothing until a poll finds a new session, so its code can come after the page's first load.
export const NewSessionsNoticeLazy = dynamic(
  () => import('./new-sessions-notice').then((m) => m.NewSessionsNotice),
  { ssr: false },
);
