import { GlobalSearchForm } from './global-search-form';

export const SEARCH_LABEL = 'Search users, sessions, clients, addresses';

export function GlobalSearch() {
  return <GlobalSearchForm label={SEARCH_LABEL} />;
}
