import type { ComponentProps } from 'react';

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950';
const LABEL = 'block text-sm font-medium';

type Field = { name: string; label: string; value: string | null | undefined };

const idOf = (name: string) => `audit-${name.replaceAll('_', '-')}`;

const KINDS = {
  text: { type: 'search', autoComplete: 'off' },
  code: { type: 'search', autoComplete: 'off', spellCheck: false, className: `${CONTROL} font-mono` },
  date: { type: 'date' },
} satisfies Record<string, ComponentProps<'input'>>;

export function FilterInput({
  name,
  label,
  value,
  kind = 'text',
  placeholder,
}: Field & { kind?: keyof typeof KINDS; placeholder?: string }) {
  return (
    <div>
      <label htmlFor={idOf(name)} className={LABEL}>
        {label}
      </label>
      <input
        id={idOf(name)}
        name={name}
        defaultValue={value ?? ''}
        placeholder={placeholder}
        className={CONTROL}
        {...KINDS[kind]}
      />
    </div>
  );
}

export function FilterSelect({
  name,
  label,
  value,
  options,
}: Field & { options: readonly (string | { value: string; label: string })[] }) {
  return (
    <div>
      <label htmlFor={idOf(name)} className={LABEL}>
        {label}
      </label>
      <select id={idOf(name)} name={name} defaultValue={value ?? ''} className={CONTROL}>
        <option value="">{`Any ${label.toLowerCase()}`}</option>
        {options
          .map((o) => (typeof o === 'string' ? { value: o, label: o } : o))
          .map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
      </select>
    </div>
  );
}
