'use client';

import { useRouter } from 'next/navigation';
import { useId, useTransition } from 'react';
import { hrefWith } from '@/lib/paths';

export function PageSizeSelect({
  pathname,
  params,
  value,
  sizes,
}: {
  pathname: string;
  params: Record<string, string | number | null | undefined>;
  value: number;
  sizes: readonly number[];
}) {
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const options = sizes.includes(value) ? sizes : [...sizes, value].sort((a, b) => a - b);
  return (
    <span className="inline-flex items-center gap-1.5">
      <label htmlFor={id} className="text-gray-700 dark:text-gray-300">
        Per page
      </label>
      <select
        id={id}
        value={value}
        aria-busy={pending}
        onChange={(e) => {
          const limit = Number(e.target.value);
          startTransition(() => router.push(hrefWith(pathname, params, { limit, offset: null })));
        }}
        className="rounded-md border border-gray-300 bg-white px-2 py-1 text-sm dark:border-gray-700 dark:bg-gray-950"
      >
        {options.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
    </span>
  );
}
