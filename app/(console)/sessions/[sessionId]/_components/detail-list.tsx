import type { ReactNode } from 'react';

export interface DetailItem {
  label: string;
  value: ReactNode;
}

export function DetailList({ items }: { items: DetailItem[] }) {
  return (
    <dl className="grid grid-cols-1 gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_minmax(0,1fr)]">
      {items.map((item) => (
        <div key={item.label} className="contents">
          <dt className="font-medium text-gray-600 dark:text-gray-400">{item.label}</dt>
          <dd className="mb-1 min-w-0 sm:mb-0">{item.value}</dd>
        </div>
      ))}
    </dl>
  );
}
