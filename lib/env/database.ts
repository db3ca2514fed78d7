import 'server-only';
import path from 'node:path';
import { ConfigError, raw, type EnvSource } from './parse';

export interface StorageConfig {
  dataDir: string;
  databaseUrl: string | null;
  /** Migrations run over this connection (a role that owns the tables) when set; else over databaseUrl. */
  databaseMigrationUrl: string | null;
}

function postgresUrl(source: EnvSource, name: string): string | null {
  const value = raw(source, name);
  if (value === undefined) return null;
  const message = `${name} must be a postgres:// or postgresql:// connection URL.`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(message);
  }
  if ((url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname)
    throw new ConfigError(message);
  return value;
}

export function parseStorage(source: EnvSource): StorageConfig {
  const dataDirValue = raw(source, 'DATA_DIR') ?? '.data';
  if (/[\x00-\x1f\x7f]/.test(dataDirValue))
    throw new ConfigError('DATA_DIR must be a path without control characters.');
  const dataDir = path.resolve(/* turbopackIgnore: true */ process.cwd(), dataDirValue);
  const databaseUrl = postgresUrl(source, 'DATABASE_URL');
  if (raw(source, 'DATABASE_MIGRATION_URL') !== undefined && !databaseUrl)
    throw new ConfigError('DATABASE_MIGRATION_URL needs DATABASE_URL to be set too.');
  const databaseMigrationUrl = postgresUrl(source, 'DATABASE_MIGRATION_URL');
  return { dataDir, databaseUrl, databaseMigrationUrl };
}
