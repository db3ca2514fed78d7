import { PassThrough, Readable } from 'node:stream';
import { closeDb, getDb, type Db } from '../lib/db';
import { EXIT, runStaffCli, type CliIo } from '../lib/auth/staff-cli';
import { staffStore } from '../lib/auth/staff-store';

/**
 * `add-batch [--json]`: one `add` (the same checks and audit rows) per stdin line `<email> <role> <password>`, in
 * one process, for scripts that need many accounts at once (the e2e suite's throwaway staff). Stops at the first
 * refused line. With --json, prints the added members' ids, emails and roles as JSON instead of one line each.
 */
export async function addBatch(
  argv: string[],
  io: CliIo,
  opts: { db?: () => Promise<Db> } = {},
): Promise<number> {
  const json = argv.includes('--json');
  const unknown = argv.filter((a) => a !== '--json');
  if (unknown.length > 0) {
    io.stderr.write(`staff: add-batch takes only --json, not ${unknown.join(' ')}.\n`);
    return EXIT.usage;
  }
  const db = opts.db ?? getDb;
  try {
    let text = '';
    for await (const chunk of io.stdin)
      text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    const lines = text.split(/\r?\n/).filter((l) => l.trim());
    const emails: string[] = [];
    for (const [i, line] of lines.entries()) {
      const fields = /^\s*(\S+)\s+(\S+)\s+(.*\S)\s*$/.exec(line);
      if (!fields) {
        io.stderr.write(`staff: line ${i + 1}: expected <email> <role> <password>.\n`);
        return EXIT.usage;
      }
      const [, email, role, password] = fields as unknown as [string, string, string, string];
      const code = await runStaffCli(
        ['add', email, role, '--password-stdin'],
        { ...io, stdin: Readable.from([`${password}\n`]), stdout: json ? new PassThrough() : io.stdout },
        { db },
      );
      if (code !== EXIT.ok) return code;
      emails.push(email.toLowerCase());
    }
    if (json) {
      const added = (await staffStore(await db()).list()).filter((m) => emails.includes(m.email));
      io.stdout.write(`${JSON.stringify(added.map(({ id, email, role }) => ({ id, email, role })))}\n`);
    }
    return EXIT.ok;
  } catch {
    io.stderr.write(`staff: could not read the added members back from the console's database.\n`);
    return EXIT.failed;
  } finally {
    if (!opts.db) await closeDb().catch(() => {});
  }
}
