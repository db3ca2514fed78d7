import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import pg from 'pg';
import { getEnv } from '@/lib/env';
import { buildMigrations, type Engine } from '@/lib/db/migrations';
import type { Database } from '@/lib/db/schema';

export type { Database } from '@/lib/db/schema';
export type Db = Kysely<Database>;

const MIGRATION_TABLES = {
  migrationTableName: 'console_migration',
  migrationLockTableName: 'console_migration_lock',
};
const engines = new WeakMap<Db, Engine>();
// On globalThis: Next bundles this module more than once per process.
const DRIVERS = Symbol.for('session-console.db-drivers');
const drivers: WeakMap<Db, DbDriver> = ((globalThis as { [DRIVERS]?: WeakMap<Db, DbDriver> })[DRIVERS] ??=
  new WeakMap());

export type DbDriver =
  | { engine: 'sqlite'; client: SqliteDatabase.Database }
  | { engine: 'postgres'; client: pg.Pool };

export function engineOf(db: Db): Engine {
  return engines.get(db) ?? drivers.get(db)?.engine ?? 'sqlite';
}

export function driverOf(db: Db): DbDriver {
  const driver = drivers.get(db);
  if (!driver) throw new Error('This database was not opened by createDb().');
  return driver;
}

function provider(engine: Engine): MigrationProvider {
  return { getMigrations: async () => buildMigrations(engine) };
}

function openSqlite(file: string): Db {
  if (file !== ':memory:') {
    // The store holds password hashes: keep the folder and the files private to the console's OS user.
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  }
  const database = new SqliteDatabase(file);
  if (file !== ':memory:') fs.chmodSync(file, 0o600);
  // busy_timeout first: the other pragmas may need a lock another process (the staff CLI, a second instance) holds.
  database.pragma('busy_timeout = 5000');
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('recursive_triggers = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  drivers.set(db, { engine: 'sqlite', client: database });
  return db;
}

function openPostgres(url: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    application_name: 'session-console',
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its connection (a failover, a restart) must not crash the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  drivers.set(db, { engine: 'postgres', client: pool });
  return db;
}

async function migrateSqlite(db: Db): Promise<void> {
  // SQLite defers transactions: one of two starting processes would fail to upgrade its lock; BEGIN IMMEDIATE waits.
  await db.connection().execute(async (conn) => {
    await sql`begin immediate`.execute(conn);
    try {
      const { error } = await new Migrator({
        db: conn,
        provider: provider('sqlite'),
        disableTransactions: true,
        ...MIGRATION_TABLES,
      }).migrateToLatest();
      if (error) throw error;
      await sql`commit`.execute(conn);
    } catch (e) {
      await sql`rollback`.execute(conn).catch(() => {});
      throw e;
    }
  });
}

async function migratePostgres(db: Db): Promise<void> {
  // Kysely's Migrator holds a PostgreSQL advisory lock: a second instance waits, then finds nothing to do.
  // Pinned to the schema: Kysely otherwise finds its tables in any schema, and a restored copy would fool it.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const migrationTableSchema = rows[0]?.schema ?? 'public';
  const { error } = await new Migrator({
    db,
    provider: provider('postgres'),
    migrationTableSchema,
    ...MIGRATION_TABLES,
  }).migrateToLatest();
  if (error) throw error;
}

export async function createDb(opts: {
  databaseUrl?: string | null;
  sqlitePath?: string;
  migrationUrl?: string | null;
}): Promise<Db> {
  const engine: Engine = opts.databaseUrl ? 'postgres' : 'sqlite';
  let db: Db;
  if (opts.databaseUrl) db = openPostgres(opts.databaseUrl);
  else if (opts.sqlitePath) db = openSqlite(opts.sqlitePath);
  else throw new Error('createDb needs a databaseUrl or a sqlitePath.');
  engines.set(db, engine);
  try {
    if (engine === 'postgres' && opts.migrationUrl) {
      // The runtime role then owns nothing, so it can't drop or disable the audit log's append-only triggers.
      const owner = openPostgres(opts.migrationUrl);
      try {
        await migratePostgres(owner);
      } finally {
        await owner.destroy();
      }
    } else if (engine === 'postgres') await migratePostgres(db);
    else await migrateSqlite(db);
  } catch (e) {
    await db.destroy().catch(() => {});
    throw e;
  }
  return db;
}

export function sqlitePathFor(dataDir: string): string {
  return path.join(dataDir, 'console.sqlite');
}

// On globalThis so that a module reloaded by Next (dev, or one copy per bundle) still shares one pool per process.
const SHARED = Symbol.for('session-console.db');
type Holder = { [SHARED]?: Promise<Db> };

export function getDb(): Promise<Db> {
  const holder = globalThis as Holder;
  let pending = holder[SHARED];
  if (!pending) {
    const env = getEnv();
    pending = createDb({
      databaseUrl: env.databaseUrl,
      migrationUrl: env.databaseMigrationUrl,
      sqlitePath: sqlitePathFor(env.dataDir),
    });
    holder[SHARED] = pending;
    // A failed start (database down) must not be remembered: the next request tries again.
    pending.catch(() => {
      if (holder[SHARED] === pending) delete holder[SHARED];
    });
  }
  return pending;
}

export async function closeDb(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[SHARED];
  delete holder[SHARED];
  if (pending) await (await pending.catch(() => null))?.destroy();
}
