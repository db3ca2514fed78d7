/**
 * `npm run load`: drives the production build with 25 virtual staff for 60 s and prints a table (requests/s,
 * latency percentiles per kind, errors by status). Starts its own local-mode console (embedded API with
 * LOCAL_CLERK_RATE_LIMIT=0, a temp DATA_DIR) unless `--url` names one already running on this machine.
 *
 *   npm run load -- [--seconds 60] [--staff 25] [--revoke-every 10] [--max-revokes 150] [--port N]
 *   npm run load -- --url http://127.0.0.1:3000 [--email support@example.com] [--password …]
 *   npm run load -- --floors [--floor-seconds 20] [--list-user ada.lovelace@example.com]
 *
 * --floors then runs the same staff on the cheapest requests a console answers (a route handler, the sign-in
 * page, the signed-in page with no upstream call), so the run's figures can be read against what the stack costs;
 * and on one user's sessions (--list-user, an email of the seed) as the page and as the JSON the page polls.
 *
 * With --url the console's own data is used (revokes included; --revoke-every 0 to only read).
 */
import { parseArgs } from 'node:util';
import { formatFloors, formatLoadReport, runFloors, runLoad } from './bench/load';
import { startLocalStack, type LocalStack } from './bench/local-stack';
import { cpuMs } from './bench/process-cpu';

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    seconds: { type: 'string', default: '60' },
    staff: { type: 'string', default: '25' },
    'revoke-every': { type: 'string', default: '10' },
    'max-revokes': { type: 'string', default: '150' },
    email: { type: 'string', default: 'support@example.com' },
    password: { type: 'string' },
    port: { type: 'string' },
    floors: { type: 'boolean', default: false },
    'floor-seconds': { type: 'string', default: '20' },
    'list-user': { type: 'string', default: 'ada.lovelace@example.com' },
  },
});

function int(name: Exclude<keyof typeof values, 'floors' | 'list-user'>): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d+$/.test(raw)) {
    console.error(`load: --${name} must be a whole number`);
    process.exit(2);
  }
  return Number(raw);
}

async function main() {
  let stack: LocalStack | null = null;
  let url = values.url;
  let password = values.password ?? process.env.DEMO_STAFF_PASSWORD ?? 'console-demo-password';
  const stop = async () => {
    await stack?.stop();
    stack = null;
  };
  process.on('SIGINT', () => void stop().then(() => process.exit(130)));
  try {
    if (!url) {
      console.error('starting a local-mode console (production build, LOCAL_CLERK_RATE_LIMIT=0)…');
      stack = await startLocalStack({ rateLimit: 0, faults: false, port: int('port'), label: 'load' });
      url = stack.url;
      password = stack.demoPassword;
    }
    const consolePid = stack?.console.child.pid;
    const consoleBefore = cpuMs(consolePid);
    const selfBefore = process.cpuUsage();
    const report = await runLoad({
      url,
      seconds: int('seconds')!,
      staff: int('staff')!,
      revokeEvery: int('revoke-every')!,
      maxRevokes: int('max-revokes')!,
      email: values.email!,
      password,
      log: (line) => console.error(line),
    });
    console.log(formatLoadReport(report));
    const consoleAfter = cpuMs(consolePid);
    const self = process.cpuUsage(selfBefore);
    const n = Math.max(1, report.samples.length);
    if (consoleBefore !== null && consoleAfter !== null) {
      // The console is what the target is about; this process (the virtual staff and the embedded API) shares
      // the same cores, so its share is printed too.
      console.log(
        `CPU per request: console ${((consoleAfter - consoleBefore) / n).toFixed(1)} ms; ` +
          `this process (virtual staff + embedded API) ${((self.user + self.system) / 1000 / n).toFixed(1)} ms.`,
      );
    }
    const fiveXX = report.samples.filter((s) => s.status >= 500 || s.status === 0).length;
    process.exitCode = fiveXX === 0 ? 0 : 1;
    if (values.floors) {
      const floors = await runFloors({
        url,
        seconds: int('floor-seconds')!,
        staff: int('staff')!,
        email: values.email!,
        password,
        listEmail: values['list-user']!,
        consoleCpuMs: () => cpuMs(consolePid),
        log: (line) => console.error(line),
      });
      console.log(`\n${formatFloors(floors, int('staff')!)}`);
    }
  } finally {
    await stop();
  }
}

main().catch((e: unknown) => {
  console.error(`load: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
