'use client';

import NextLink from 'next/link';
import { useState, type ComponentProps, type FocusEvent, type MouseEvent, type TouchEvent } from 'react';

export type LinkProps = ComponentProps<typeof NextLink>;

/** Prefetch on intent (hover, focus, touch), not on view: each prefetch is a dynamic server render. */
export function Link({ prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: LinkProps) {
  const [reachedFor, setReachedFor] = useState(false);
  const intent = () => {
    if (!reachedFor && prefetch !== false) setReachedFor(true);
  };
  return (
    <NextLink
      {...props}
      prefetch={reachedFor ? prefetch : false}
      onMouseEnter={(e: MouseEvent<HTMLAnchorElement>) => {
        intent();
        onMouseEnter?.(e);
      }}
      onFocus={(e: FocusEvent<HTMLAnchorElement>) => {
        intent();
        onFocus?.(e);
      }}
      onTouchStart={(e: TouchEvent<HTMLAnchorElement>) => {
        intent();
        onTouchStart?.(e);
      }}
    />
  );
}
