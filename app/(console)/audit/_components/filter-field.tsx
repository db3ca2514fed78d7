import type { ComponentProps } from 'react';

const CONTROL =
  'mt-1 block w-full rounded-md border border-gray-300 bg-white px-3 py-2 text-sm dark:border-gray-700 dark:bg-gray-950';
const LABEL = 'block text-sm font-medium';

type Field = { id: string; label: string; name: string; value: string | null | undefined };

export function FilterInput({
  id,
  label,
  value,
  mono,
  ...props
}: Field & { mono?: boolean } & Omit<ComponentProps<'input'>, 'id' | 'value' | 'defaultValue'>) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <input
        id={id}
        defaultValue={value ?? ''}
        className={mono ? `${CONTROL} font-mono` : CONTROL}
        {...props}
      />
    </div>
  );
}

export function FilterSelect({
  id,
  label,
  name,
  value,
  any,
  options,
}: Field & { any: string; options: readonly { value: string; label: string }[] }) {
  return (
    <div>
      <label htmlFor={id} className={LABEL}>
        {label}
      </label>
      <select id={id} name={name} defaultValue={value ?? ''} className={CONTROL}>
        <option value="">{any}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
