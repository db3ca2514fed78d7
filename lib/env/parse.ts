import 'server-only';
import { z } from 'zod';

export type EnvSource = Record<string, string | undefined>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const portSchema = z.coerce.number().int().min(1).max(65_535);
export const printable = (min: number, max: number) =>
  z
    .string()
    .min(min)
    .max(max)
    .regex(/^[\x21-\x7e]+$/);

/** Empty strings count as unset: `KEY=` in an env file means "not configured", not "configured as nothing". */
export function raw(source: EnvSource, name: string): string | undefined {
  const value = source[name];
  return value === undefined || value === '' ? undefined : value;
}

export function parse<T>(schema: z.ZodType<T>, value: unknown, message: string): T {
  const result = schema.safeParse(value);
  if (!result.success) throw new ConfigError(message);
  return result.data;
}

export function int(
  source: EnvSource,
  name: string,
  r: { min: number; max: number; fallback: number },
  message: string,
): number {
  return parse(z.coerce.number().int().min(r.min).max(r.max), raw(source, name) ?? r.fallback, message);
}

export function flag(source: EnvSource, name: string): boolean | undefined {
  const value = raw(source, name);
  if (value !== undefined && value !== '0' && value !== '1') throw new ConfigError(`${name} must be 1 or 0.`);
  return value === undefined ? undefined : value === '1';
}

export function parseUrl(value: string, name: string): URL {
  // URL parsing silently strips tabs and newlines; a value containing them is a paste error, not a URL.
  if (/[\s\x00-\x1f\x7f]/.test(value))
    throw new ConfigError(`${name} must be a URL without spaces or control characters.`);
  try {
    return new URL(value);
  } catch {
    throw new ConfigError(`${name} is not a valid URL.`);
  }
}

export const isLoopback = (url: URL) => LOOPBACK_HOSTS.has(url.hostname);
