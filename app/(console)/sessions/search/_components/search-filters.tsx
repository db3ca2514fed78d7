import { LIST_STATUSES } from '@/lib/vocabulary';
import { paths } from '@/lib/paths';
import { ACTIVE_WITHIN_LABELS, type SearchFilters } from '@/lib/session-index/search-link';
import { Button } from '@/components/ui/button';
import { ButtonLink } from '@/components/ui/button';

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950';
const LABEL = 'block text-sm font-medium';

function Field({
  name,
  label,
  value,
  placeholder,
  mono,
}: {
  name: string;
  label: string;
  value: string | undefined;
  placeholder?: string;
  mono?: boolean;
}) {
  return (
    <div>
      <label htmlFor={`search-${name}`} className={LABEL}>
        {label}
      </label>
      <input
        id={`search-${name}`}
        name={name}
        type="search"
        defaultValue={value ?? ''}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
        maxLength={100}
        className={`${CONTROL} ${mono ? 'font-mono' : ''}`}
      />
    </div>
  );
}

// A plain GET form: the filters are the URL, so a search is a link a colleague can open.
export function SearchFiltersForm({ filters, limit }: { filters: Partial<SearchFilters>; limit?: number }) {
  return (
    <form
      method="get"
      action={paths.sessionsSearch()}
      aria-label="Search sessions"
      className="grid grid-cols-1 gap-3 rounded-lg border border-gray-200 p-4 sm:grid-cols-2 lg:grid-cols-4 dark:border-gray-800"
    >
      <Field
        name="ip"
        label="IP address or CIDR"
        value={filters.ip}
        placeholder="203.0.113.0/24, 2001:db8::/32"
        mono
      />
      <Field name="country" label="Country code" value={filters.country} placeholder="FR" />
      <Field name="city" label="City" value={filters.city} />
      <Field name="device" label="Device" value={filters.device} placeholder="Macintosh, iPhone…" />
      <Field name="browser" label="Browser" value={filters.browser} placeholder="Chrome, Safari…" />
      <div>
        <label htmlFor="search-status" className={LABEL}>
          Status
        </label>
        <select id="search-status" name="status" defaultValue={filters.status ?? 'all'} className={CONTROL}>
          {LIST_STATUSES.map((s) => (
            <option key={s} value={s}>
              {s === 'all' ? 'Any status' : s}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="search-within" className={LABEL}>
          Active within
        </label>
        <select id="search-within" name="within" defaultValue={filters.within ?? ''} className={CONTROL}>
          <option value="">Any time</option>
          {Object.entries(ACTIVE_WITHIN_LABELS).map(([k, label]) => (
            <option key={k} value={k}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex items-end">
        <label className="flex items-center gap-2 text-sm font-medium">
          <input type="checkbox" name="risk" value="1" defaultChecked={Boolean(filters.risk)} />
          Has a risk signal
        </label>
      </div>
      {limit ? <input type="hidden" name="limit" value={limit} /> : null}
      <div className="flex flex-wrap items-end gap-2 sm:col-span-2 lg:col-span-4">
        <Button type="submit" variant="primary">
          Search
        </Button>
        <ButtonLink href={paths.sessionsSearch()} variant="ghost">
          Clear
        </ButtonLink>
      </div>
    </form>
  );
}
