import { Link } from './link';
import type { ComponentProps } from 'react';
import { cn } from './cn';

export function TextLink({ className, ...props }: ComponentProps<typeof Link>) {
  return (
    <Link
      {...props}
      className={cn('text-blue-700 underline-offset-2 hover:underline dark:text-blue-300', className)}
    />
  );
}
