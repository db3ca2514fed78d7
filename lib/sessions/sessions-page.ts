export type { SessionsPage, SessionsRisk } from '@/lib/queries/sessions-page';
