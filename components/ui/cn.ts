import { clsx, type ClassValue } from 'clsx';

/** Joins class names, dropping falsy ones (a thin alias so components don't each import clsx). */
export function cn(...values: ClassValue[]): string {
  return clsx(values);
}
