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
// On globalThis like the database itself (below): Next bundles this module more than once per process.
const DRIVERS = Symbol.for('session-console.db-drivers');
const drivers: WeakMap<Db, DbDriver> = ((globalThis as { [DRIVERS]?: WeakMap<Db, DbDriver> })[DRIVERS] ??=
  new WeakMap());

export type DbDriver =
  | { engine: 'sqlite'; client: SqliteDatabase.Database }
  | { engine: 'postgres'; client: pg.Pool };

export function engineOf(db: Db): Engine {
  return engines.get(db) ?? drivers.get(db)?.engine ?? 'sqlite';
}

/** The driver under Kysely, for libraries that bring their own SQL (the sign-in rate limiters). */
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
  // busy_timeout first: the other pragmas may need a lock that another process (the staff CLI, a second
  // instance starting) holds for a moment.
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
  // SQLite's own transactions are deferred: two processes starting together would both read "not migrated" and one
  // would then fail to upgrade its read lock. BEGIN IMMEDIATE takes the write lock first, so the second process
  // waits (busy_timeout), then finds everything applied. Kysely's Migrator then runs inside that transaction.
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
  // Kysely's Migrator holds a PostgreSQL advisory lock while it migrates, in one transaction: a second instance
  // starting at the same moment waits, then finds nothing left to do.
  // Pinned to the connection's schema: Kysely otherwise looks for its bookkeeping tables in every schema, and a
  // second copy of the console's tables elsewhere in the same database (staging, a restore) would fool it.
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

/**
 * Opens the console's database and brings its schema up to date. PostgreSQL when `databaseUrl` is given (several
 * console instances share it), else SQLite at `sqlitePath`. Safe to run from several processes at once.
 */
export async function createDb(opts: {
  databaseUrl?: string | null;
  sqlitePath?: string;
  /** PostgreSQL only: migrate over this connection (the tables' owner), then run as `databaseUrl`. */
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

/** The process's database: PostgreSQL when DATABASE_URL is set, else `$DATA_DIR/console.sqlite`. Opened once. */
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

/** Closes the process's database (the staff CLI, tests). */
export async function closeDb(): Promise<void> {
  const holder = globalThis as Holder;
  const pending = holder[SHARED];
  delete holder[SHARED];
  if (pending) await (await pending.catch(() => null))?.destroy();
}
