// Test helper: a throwaway PostgreSQL for the store tests. Not imported by the console itself.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { createDb, type Db } from '@/lib/db';
import { freePort } from './ports';

const run = promisify(execFile);

export interface TestPostgres {
  /** A fresh, empty database of its own (CREATE DATABASE with a random name). */
  url: string;
  stop(): Promise<void>;
}

function findBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs
    .readdirSync(root)
    .filter(
      (v) =>
        fs.existsSync(path.join(root, v, 'bin', 'initdb')) &&
        fs.existsSync(path.join(root, v, 'bin', 'pg_ctl')),
    )
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(root, versions[0], 'bin') : null;
}

/** PostgreSQL refuses to run as root: as root, run its binaries as the `postgres` OS user. */
function asPostgres(bin: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `console_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function startCluster(binDir: string): Promise<{ adminUrl: string; stop(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-pg-'));
  const data = path.join(dir, 'data');
  if (process.getuid?.() === 0)
    fs.chownSync(
      dir,
      Number((await run('id', ['-u', 'postgres'])).stdout.trim()),
      Number((await run('id', ['-g', 'postgres'])).stdout.trim()),
    );
  const exec = (bin: string, args: string[]) => {
    const [cmd, argv] = asPostgres(path.join(binDir, bin), args);
    return run(cmd, argv, { cwd: dir });
  };
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    // Trust auth for local and loopback connections only; the cluster lives and dies with this test file.
    await exec('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '-N']);
  } catch (e) {
    cleanup();
    throw e;
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${dir}`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=50',
    ].join(' ');
    try {
      await exec('pg_ctl', [
        '-D',
        data,
        '-l',
        path.join(dir, 'log'),
        '-w',
        '-s',
        '-t',
        '30',
        '-o',
        options,
        'start',
      ]);
      return {
        adminUrl: `postgres://postgres@127.0.0.1:${port}/postgres`,
        async stop() {
          await exec('pg_ctl', ['-D', data, '-s', '-m', 'immediate', '-w', 'stop']).catch(() => {});
          cleanup();
        },
      };
    } catch (e) {
      lastError = e; // most likely the port was taken between freePort() and the start: try another
    }
  }
  cleanup();
  throw lastError;
}

/**
 * A PostgreSQL database for one test file. TEST_DATABASE_URL (a server you run) is used when set; otherwise a
 * cluster is created in a temp folder from Debian's binaries and removed by stop(). Null only when there are no
 * binaries and CI is not set: under CI a missing PostgreSQL is a failure, not a skip.
 */
export async function startTestPostgres(): Promise<TestPostgres | null> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    const db = await createDatabase(external);
    return { url: db.url, stop: () => db.drop() };
  }
  const binDir = findBinDir();
  if (!binDir) {
    if (process.env.CI)
      throw new Error(
        'PostgreSQL is required under CI: install it (apt-get install postgresql) or set TEST_DATABASE_URL.',
      );
    return null;
  }
  const cluster = await startCluster(binDir);
  try {
    const db = await createDatabase(cluster.adminUrl);
    return { url: db.url, stop: () => cluster.stop() };
  } catch (e) {
    await cluster.stop();
    throw e;
  }
}

export type TestEngine = 'sqlite' | 'postgres';
export const TEST_ENGINES: readonly TestEngine[] = ['sqlite', 'postgres'];

/**
 * A connection string for a new, empty schema in `url`'s database (every connection from it has that schema
 * first on its search_path): isolates tests within one file for the price of a CREATE SCHEMA, not a database.
 */
export async function freshPostgresSchema(url: string): Promise<string> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(`create schema ${schema}`);
  } finally {
    await c.end();
  }
  const u = new URL(url);
  u.searchParams.set('options', `-c search_path=${schema}`);
  return u.toString();
}

/** A path for a new SQLite file in its own temp folder; `cleanup` removes every folder made so far. */
export function tempSqlite(): { path: string; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'console-sqlite-'));
  tempDirs.push(dir);
  return { dir, path: path.join(dir, 'console.sqlite') };
}
const tempDirs: string[] = [];
export function removeTempSqlite(): void {
  for (const dir of tempDirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/**
 * A migrated, empty console database on `engine` for one test: a new SQLite file, or a new schema in the file's
 * PostgreSQL database. Throws when PostgreSQL was asked for and none is available.
 */
export async function openTestDb(engine: TestEngine, server: TestPostgres | null): Promise<Db> {
  if (engine === 'sqlite') return createDb({ sqlitePath: tempSqlite().path });
  if (!server) throw new Error('PostgreSQL is not available (no binaries and no TEST_DATABASE_URL).');
  return createDb({ databaseUrl: await freshPostgresSchema(server.url) });
}
