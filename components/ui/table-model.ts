import type { ReactNode } from 'react';

// The slice of @tanstack/react-table the sessions table used, without a 14 kB dependency.

export type RowSelectionState = Record<string, boolean>;
export type Updater<T> = T | ((old: T) => T);
export type OnChangeFn<T> = (updater: Updater<T>) => void;

export interface Row<T> {
  id: string;
  original: T;
  getCanSelect(): boolean;
  getIsSelected(): boolean;
  toggleSelected(value?: boolean): void;
  getToggleSelectedHandler(): (event: { target: unknown }) => void;
}
export interface Table<T> {
  getRowModel(): { rows: Row<T>[] };
}
export interface CellContext<T, V> {
  row: Row<T>;
  table: Table<T>;
  getValue(): V;
}
type Header<T> = ReactNode | ((ctx: { table: Table<T> }) => ReactNode);

export interface Column<T> {
  id: string;
  header: Header<T>;
  cell(ctx: CellContext<T, unknown>): ReactNode;
  value(row: T): unknown;
}

interface ColumnHelper<T> {
  accessor<K extends keyof T & string>(
    key: K,
    def: { id?: string; header: Header<T>; cell(ctx: CellContext<T, T[K]>): ReactNode },
  ): Column<T>;
  accessor<V>(
    fn: (row: T) => V,
    def: { id: string; header: Header<T>; cell(ctx: CellContext<T, V>): ReactNode },
  ): Column<T>;
  display(def: { id: string; header: Header<T>; cell(ctx: CellContext<T, unknown>): ReactNode }): Column<T>;
}

export function createColumnHelper<T>(): ColumnHelper<T> {
  return {
    accessor(
      key: keyof T | ((row: T) => unknown),
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each overload types its own cell
      def: { id?: string; header: Header<T>; cell(ctx: CellContext<T, any>): ReactNode },
    ) {
      const value = typeof key === 'function' ? key : (row: T) => row[key];
      return { id: def.id ?? String(key), header: def.header, cell: def.cell, value };
    },
    display: (def) => ({ ...def, value: () => undefined }),
  };
}

export function renderHeader<T>(column: Column<T>, table: Table<T>): ReactNode {
  return typeof column.header === 'function' ? column.header({ table }) : column.header;
}

export function useTableModel<T>(o: {
  data: readonly T[];
  getRowId(row: T): string;
  enableRowSelection(row: Row<T>): boolean;
  rowSelection: RowSelectionState;
  onRowSelectionChange: OnChangeFn<RowSelectionState>;
}): Table<T> {
  const rows = o.data.map((original): Row<T> => {
    const id = o.getRowId(original);
    const row: Row<T> = {
      id,
      original,
      getCanSelect: () => o.enableRowSelection(row),
      getIsSelected: () => Boolean(o.rowSelection[id]),
      toggleSelected: (value) =>
        o.onRowSelectionChange((old) => {
          const next = { ...old };
          if (value ?? !old[id]) next[id] = true;
          else delete next[id];
          return next;
        }),
      getToggleSelectedHandler: () => (event) =>
        row.toggleSelected(Boolean((event.target as { checked?: unknown } | null)?.checked)),
    };
    return row;
  });
  return { getRowModel: () => ({ rows }) };
}
