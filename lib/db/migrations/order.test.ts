import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildMigrations } from '@/lib/db/migrations';

describe('the migration list', () => {
  it('names every migration file once, in the order Kysely runs them', () => {
    const keys = Object.keys(buildMigrations('sqlite'));
    const files = fs
      .readdirSync(import.meta.dirname)
      .filter((f) => /^\d{4}_[a-z_]+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(keys).toEqual([...keys].sort());
    expect(keys).toEqual(files.sort());
    expect(Object.keys(buildMigrations('postgres'))).toEqual(keys);
  });
});
