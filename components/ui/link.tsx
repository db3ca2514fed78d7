'use client';

import NextLink from 'next/link';
import { useState, type ComponentProps, type FocusEvent, type MouseEvent, type TouchEvent } from 'react';

export type LinkProps = ComponentProps<typeof NextLink>;

/**
 * The console's one link: next/link (client-side navigation) that prefetches when the staff member reaches for it
 * (pointer over it, keyboard focus, a touch), never because it scrolled into view. Every console page is dynamic
 * and signed in, so each viewport prefetch is a server render behind the proxy: a 25-row sessions list used to
 * fire about 30 of them per view (each row's session and client, the status filters, the nav), five times the
 * server CPU of the view itself (`npm run bench`). `prefetch={false}` turns intent prefetching off as well.
 *
 * Next's own pattern for this: the link starts with prefetching off and turns it on at the first sign of intent;
 * the router then prefetches it (it is on screen) and keeps what it fetched, so coming back costs nothing.
 */
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
