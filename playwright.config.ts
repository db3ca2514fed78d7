import { defineConfig, devices } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import { clearConsoleEnv } from './lib/testing/console-env';

// Playwright hands its own environment to the web server (and workers to the consoles they start): whatever the
// caller's shell set for the console (SEED, DATA_DIR, PORT, DATABASE_URL, …) is dropped here, before anything reads it.
clearConsoleEnv(process.env);

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_API_PORT = Number(process.env.E2E_API_PORT ?? E2E_PORT + 1);
export const E2E_DATA_DIR = path.join(os.tmpdir(), `session-console-e2e-${E2E_PORT}`);
/** A recognisable secret: the security specs assert it never reaches a browser. */
export const E2E_LOG_FILE = path.join(E2E_DATA_DIR, 'console.log');
export const E2E_REPORT = E2E_PORT === 3100 ? 'test-results/e2e.json' : `test-results/e2e-${E2E_PORT}.json`;
/** A mock OpenID provider the SSO spec starts on this port (the console is configured for it from the start). */
export const E2E_IDP_PORT = E2E_PORT + 2;
export const CANARY_SECRET_KEY = 'sk_test_CANARYcanary0123456789canaryCANARY';
export const DEMO_PASSWORD = 'e2e-demo-password';

export default defineConfig({
  testDir: './e2e',
  // Per port, so parallel runs on other ports (developers' helpers) never clean each other's artifacts.
  outputDir: `./test-results/playwright-${E2E_PORT}`,
  fullyParallel: false,
  // One worker: the console, its embedded API, Chromium and the worker already fill 2 cores. With two workers the
  // heaviest specs (several console processes, the staff CLI, argon2 sign-ins) ran past 30 s on a fresh machine.
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list'], ['json', { outputFile: E2E_REPORT }]],
  use: {
    baseURL: `http://127.0.0.1:${E2E_PORT}`,
    // Recording a trace for every test (retain-on-failure records them all and keeps the failed ones) cost about a
    // fifth of the suite's time on 2 cores, with or without its screenshots and DOM snapshots. A failure keeps a
    // screenshot and the call log; to trace, rerun the failing spec with `--trace on`.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts/ },
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], channel: undefined },
      dependencies: ['setup'],
      testIgnore: /auth\.setup\.ts/,
    },
  ],
  webServer: {
    command: `rm -rf ${E2E_DATA_DIR} && node --import tsx scripts/start.ts --no-build`,
    url: `http://127.0.0.1:${E2E_PORT}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    env: {
      PORT: String(E2E_PORT),
      HOST: '127.0.0.1',
      LOCAL_CLERK_PORT: String(E2E_API_PORT),
      LOCAL_CLERK_SECRET_KEY: CANARY_SECRET_KEY,
      LOCAL_CLERK_FAULTS: '1',
      LOCAL_CLERK_RATE_LIMIT: '2000',
      // The fault specs inject 429s with Retry-After 30 to test what one page shows; a pause of every call for
      // 30 s would leak into the next case and the parallel worker (the pause has its own unit tests).
      CLERK_BUDGET_MAX_PAUSE_SECONDS: '0',
      // Two workers sign in as the same three demo accounts: one "staff member" is two test runs at once here.
      CLERK_BUDGET_STAFF_SHARE: '1',
      DATA_DIR: E2E_DATA_DIR,
      CONSOLE_LOG_FILE: E2E_LOG_FILE,
      DEMO_STAFF_PASSWORD: DEMO_PASSWORD,
      AUTH_URL: `http://127.0.0.1:${E2E_PORT}`,
      CLERK_TIMEOUT_MS: '3000',
      // Every spec signs in from 127.0.0.1: the overall cap is shown on a console of its own
      // (e2e/security-limits.spec.ts), so here it only has to stay out of the way.
      SIGN_IN_MAX_PER_MINUTE: '1000',
      NEXT_DIST_DIR: process.env.NEXT_DIST_DIR ?? '.next',
      LOG_LEVEL: 'warn',
      AUTH_OIDC_ISSUER: `http://127.0.0.1:${E2E_IDP_PORT}`,
      AUTH_OIDC_CLIENT_ID: 'console-e2e',
      AUTH_OIDC_CLIENT_SECRET: 'e2e-oidc-client-secret',
      AUTH_OIDC_ROLES: 'sso-admin@corp.test=admin,@corp.test=viewer',
      AUTH_OIDC_NAME: 'Corp SSO',
      CONSOLE_ALLOW_LOOPBACK_API: '1',
      CLERK_SECRET_KEY: '',
      // The shared server runs no background scan (its requests would show in other specs' upstream logs);
      // e2e/risk.spec.ts starts a console of its own to test the watchlist.
      WATCHLIST_INTERVAL_SECONDS: '0',
      // e2e/reasons-notify.spec.ts: the ticket links the forms, the audit log and the timeline build.
      TICKET_URL_TEMPLATE: 'https://support.example.com/tickets/{id}',
      // heavy.user's 5,000 sessions test the job engine here; e2e/approvals.spec.ts tests the gate (bans always ask).
      APPROVAL_MIN_SESSIONS: '10000000',
    },
  },
});
