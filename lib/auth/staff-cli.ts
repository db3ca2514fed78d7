import 'server-only';
import os from 'node:os';
import type { Readable, Writable } from 'node:stream';
import { text as readAll } from 'node:stream/consumers';
import { closeDb, getDb, type Db } from '@/lib/db';
import { auditLog, AuditUnavailableError, type AuditActor, type ConsoleInstance } from '@/lib/audit';
import { staffStore, StaffStoreError, type StaffMember } from '@/lib/auth/staff-store';
import { passwordProblem } from '@/lib/auth/passwords';
import { isRole, ROLES, type Role } from '@/lib/vocabulary';

export interface CliIo {
  stdin: Readable & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  stdout: Writable;
  stderr: Writable;
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Usage: npm run staff -- <command>

  add <email> <role> [--password-stdin]   add a staff member (role: ${ROLES.join(', ')})
  list [--json]                            list staff members
  set-role <email> <role>                  change a member's role
  disable <email>                          block sign-in and end every console session
  enable <email>                           allow sign-in again
  sign-out <email>                         end every console session of a member
  set-password <email> [--password-stdin]  set a new password (ends every console session)
  add-batch [--json]                       add one member per stdin line \`<email> <role> <password>\`

Without --password-stdin the password is asked for on the terminal. It is never read from the command line.
Uses the console's database: DATABASE_URL, else $DATA_DIR/console.sqlite.`;

class UsageError extends Error {}
class CliError extends Error {}

async function readStdinLine(stdin: Readable): Promise<string> {
  let text = '';
  for await (const chunk of stdin) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n') || text.length > 4096) break;
  }
  return text.split(/\r?\n/)[0] ?? '';
}

function promptHidden(io: CliIo, question: string): Promise<string> {
  const { stdin, stderr } = io;
  return new Promise((resolve, reject) => {
    let value = '';
    stderr.write(question);
    stdin.setRawMode?.(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode?.(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(new CliError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readNewPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  let password: string;
  if (fromStdin) {
    password = await readStdinLine(io.stdin);
  } else {
    if (!io.stdin.isTTY)
      throw new UsageError('No terminal to ask for the password on: pipe it in with --password-stdin.');
    password = await promptHidden(io, 'New password: ');
    const problem = passwordProblem(password);
    if (problem) throw new CliError(problem);
    if ((await promptHidden(io, 'Repeat it: ')) !== password) throw new CliError('The two passwords differ.');
  }
  const problem = passwordProblem(password);
  if (problem) throw new CliError(problem);
  return password;
}

function parseArgs(argv: string[]) {
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const positional = argv.filter((a) => !a.startsWith('--'));
  return { command: positional[0], args: positional.slice(1), flags };
}

function expectArgs(args: string[], names: string[], flags: Set<string>, allowed: string[] = []) {
  for (const f of flags) if (!allowed.includes(f)) throw new UsageError(`Unknown option ${f}.`);
  if (args.length > names.length) {
    throw new UsageError(
      `Too many arguments. Passwords are never taken from the command line (they would land in shell history and the process list): use --password-stdin or answer the prompt.`,
    );
  }
  if (args.length < names.length) throw new UsageError(`Missing ${names.slice(args.length).join(' and ')}.`);
}

function parseRole(value: string): Role {
  if (!isRole(value)) throw new UsageError(`Unknown role "${value}": use ${ROLES.join(', ')}.`);
  return value;
}

function formatList(members: StaffMember[]): string {
  if (members.length === 0) return 'No staff members yet. Add one with: npm run staff -- add <email> <role>';
  const rows = [
    ['EMAIL', 'ROLE', 'STATUS', 'SIGN-IN', 'LAST SIGN-IN'],
    ...members.map((m) => [
      m.email,
      m.role,
      m.disabled ? 'disabled' : 'enabled',
      m.source === 'oidc'
        ? m.hasPassword
          ? 'sso+password'
          : 'sso'
        : m.hasPassword
          ? 'password'
          : 'no password',
      m.lastSignInAt ? m.lastSignInAt.toISOString().replace('T', ' ').slice(0, 16) + 'Z' : 'never',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** The CLI as a process sees it; it is its own "instance" so it never makes a running console's intents look crashed. */
const CLI_INSTANCE: ConsoleInstance = {
  id: `staff-cli@${os.hostname()}`.slice(0, 128),
  startedAt: new Date(Math.floor(performance.timeOrigin)),
};

function cliActor(): AuditActor {
  let user = 'unknown';
  try {
    user = os.userInfo().username;
  } catch {
    /* no passwd entry (containers) */
  }
  return { staffId: null, email: `cli:${user}@${os.hostname()}`, role: null };
}

async function run(argv: string[], io: CliIo, db: () => Promise<Db>): Promise<number> {
  const { command, args, flags } = parseArgs(argv);
  const print = (line: string) => io.stdout.write(`${line}\n`);
  if (!command || command === 'help' || flags.has('--help')) {
    print(USAGE);
    return command || flags.has('--help') ? EXIT.ok : EXIT.usage;
  }

  const store = async () => staffStore(await db());
  const member = async (email: string) => {
    const found = await (await store()).findByEmail(email);
    if (!found) throw new CliError(`No staff member has the email ${email.trim().toLowerCase()}.`);
    return found;
  };
  /** Audited like a console action: intent first (refused if it cannot be written), then outcome. */
  const audited = async <T>(
    what: string,
    email: string,
    details: Record<string, unknown>,
    change: () => Promise<T>,
  ): Promise<T> => {
    const intent = await auditLog(await db(), { instance: CLI_INSTANCE }).begin({
      actor: cliActor(),
      action: 'staff.manage',
      target: {},
      details: { via: 'cli', command: what, email: email.trim().toLowerCase(), ...details },
      ctx: { ip: null, userAgent: 'staff-cli' },
    });
    try {
      const result = await change();
      await intent.succeeded();
      return result;
    } catch (e) {
      await intent.failed(e instanceof StaffStoreError ? e.code : 'error');
      throw e;
    }
  };

  const add = (email: string, role: Role, password: string) =>
    audited('add', email, { role }, async () => (await store()).add({ email, role, password }));

  switch (command) {
    case 'add': {
      expectArgs(args, ['<email>', '<role>'], flags, ['--password-stdin']);
      const [email, roleArg] = args as [string, string];
      const role = parseRole(roleArg);
      const password = await readNewPassword(io, flags.has('--password-stdin'));
      const added = await add(email, role, password);
      print(`Added ${added.email} as ${added.role}.`);
      return EXIT.ok;
    }
    case 'add-batch': {
      // Scripts that need many accounts at once (the e2e suite's throwaway staff): one `add` a line, in one process,
      // stopping at the first refused line.
      expectArgs(args, [], flags, ['--json']);
      const lines = (await readAll(io.stdin)).split(/\r?\n/).filter((l) => l.trim());
      const added: StaffMember[] = [];
      for (const [i, line] of lines.entries()) {
        const fields = /^\s*(\S+)\s+(\S+)\s+(.*\S)\s*$/.exec(line);
        if (!fields) throw new UsageError(`line ${i + 1}: expected <email> <role> <password>.`);
        const [, email, roleArg, password] = fields as unknown as [string, string, string, string];
        const role = parseRole(roleArg);
        const problem = passwordProblem(password);
        if (problem) throw new CliError(`line ${i + 1}: ${problem}`);
        const member = await add(email, role, password);
        added.push(member);
        if (!flags.has('--json')) print(`Added ${member.email} as ${member.role}.`);
      }
      if (flags.has('--json'))
        print(JSON.stringify(added.map(({ id, email, role }) => ({ id, email, role }))));
      return EXIT.ok;
    }
    case 'list': {
      expectArgs(args, [], flags, ['--json']);
      const members = await (await store()).list();
      if (flags.has('--json')) {
        print(
          JSON.stringify(
            members.map((m) => ({
              ...m,
              createdAt: m.createdAt.toISOString(),
              updatedAt: m.updatedAt.toISOString(),
              lastSignInAt: m.lastSignInAt?.toISOString() ?? null,
            })),
            null,
            2,
          ),
        );
      } else {
        print(formatList(members));
      }
      return EXIT.ok;
    }
    case 'set-role': {
      expectArgs(args, ['<email>', '<role>'], flags);
      const [email, roleArg] = args as [string, string];
      const role = parseRole(roleArg);
      const m = await member(email);
      await audited('set-role', email, { role, previousRole: m.role }, async () =>
        (await store()).setRole(m.id, role),
      );
      print(`${m.email} is now ${role} (was ${m.role}). It applies from their next request.`);
      return EXIT.ok;
    }
    case 'disable':
    case 'enable': {
      expectArgs(args, ['<email>'], flags);
      const m = await member(args[0]!);
      const disable = command === 'disable';
      await audited(command, m.email, {}, async () => (await store()).setDisabled(m.id, disable));
      print(
        disable
          ? `Disabled ${m.email}: they cannot sign in and their console sessions have ended.`
          : `Enabled ${m.email}.`,
      );
      return EXIT.ok;
    }
    case 'sign-out': {
      expectArgs(args, ['<email>'], flags);
      const m = await member(args[0]!);
      await audited('sign-out', m.email, {}, async () => (await store()).signOutEverywhere(m.id));
      print(`Signed ${m.email} out of every console session.`);
      return EXIT.ok;
    }
    case 'set-password': {
      expectArgs(args, ['<email>'], flags, ['--password-stdin']);
      const m = await member(args[0]!);
      const password = await readNewPassword(io, flags.has('--password-stdin'));
      await audited('set-password', m.email, {}, async () => (await store()).setPassword(m.id, password));
      print(`Changed the password of ${m.email}; their console sessions have ended.`);
      return EXIT.ok;
    }
    default:
      throw new UsageError(`Unknown command "${command}".`);
  }
}

export async function runStaffCli(
  argv: string[],
  io: CliIo,
  opts: { db?: () => Promise<Db> } = {},
): Promise<number> {
  const fail = (message: string, code: number) => {
    io.stderr.write(`staff: ${message}\n`);
    return code;
  };
  try {
    return await run(argv, io, opts.db ?? getDb);
  } catch (e) {
    if (e instanceof UsageError)
      return fail(`${e.message}\nRun \`npm run staff -- help\` for the commands.`, EXIT.usage);
    if (e instanceof CliError || e instanceof StaffStoreError) return fail(e.message, EXIT.failed);
    if (e instanceof AuditUnavailableError)
      return fail('The audit log could not be written, so nothing was changed.', EXIT.failed);
    if (e instanceof Error && e.name === 'ConfigError') return fail(e.message, EXIT.failed);
    // The reason helps the operator; a connection string in it (with its password) must not be echoed.
    const reason = (e instanceof Error ? e.message : String(e))
      .replace(/postgres(?:ql)?:\/\/\S+/gi, '<DATABASE_URL>')
      .slice(0, 300);
    return fail(`Could not reach the console's database (${reason}).`, EXIT.failed);
  } finally {
    if (!opts.db) await closeDb().catch(() => {});
  }
}
