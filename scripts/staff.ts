/**
 * `npm run staff -- <command>`: staff accounts on the console's database (see `npm run staff -- help`). Runs under
 * tsx with the react-server condition, where `server-only` is an empty module. The logic is in lib/auth/staff-cli.
 */
import { runStaffCli } from '../lib/auth/staff-cli';

process.exitCode = await runStaffCli(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
