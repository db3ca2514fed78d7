import 'server-only';
import type { ClerkClient } from '@clerk/backend';
import { currentRuntime } from './runtime';

const READ_CACHE_MAX = 500;

const readCaches = new WeakMap<ClerkClient, Map<string, { at: number; value: Promise<unknown> }>>();

export function cachedRead<T>(key: string, read: () => Promise<T>): Promise<T> {
  const rt = currentRuntime();
  if (rt.readCacheMs <= 0) return read();
  let cache = readCaches.get(rt.client);
  if (!cache) readCaches.set(rt.client, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < rt.readCacheMs) return hit.value as Promise<T>;
  const value = read();
  if (cache.size >= READ_CACHE_MAX) {
    for (const [k, v] of cache) if (now - v.at >= rt.readCacheMs) cache.delete(k);
    if (cache.size >= READ_CACHE_MAX) cache.clear();
  }
  cache.set(key, { at: now, value });
  value.catch(() => {
    if (cache.get(key)?.value === value) cache.delete(key);
  });
  return value;
}

/** After a write: the next read of `key` asks Clerk, so a page shows the change at once, not a few seconds later. */
export function forgetRead(key: string): void {
  readCaches.get(currentRuntime().client)?.delete(key);
}
