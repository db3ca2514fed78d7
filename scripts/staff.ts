/**
 * `npm run staff -- <command>`: staff accounts on the console's database (see `npm run staff -- help`). Runs under
 * tsx with the react-server condition, where `server-only` is an empty module. The logic is in lib/auth/staff-cli;
 * `add-batch` (many accounts in one process) is in scripts/staff-batch.
 */
import { runStaffCli } from '../lib/auth/staff-cli';
import { addBatch } from './staff-batch';

const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
const [command, ...rest] = process.argv.slice(2);
process.exitCode =
  command === 'add-batch' ? await addBatch(rest, io) : await runStaffCli(process.argv.slice(2), io);
