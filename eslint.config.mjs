import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Server-only modules (secrets, the Clerk client, the stores). lib/audit/types and lib/jobs/{types,inputs} are
// pure vocabulary and allowed.
const serverOnly = '^@/lib/(clerk|audit(?!/types$)|jobs(?!/(types|inputs)$)|env|db|local-clerk|log)(/.*)?$';

// Routes depend on components/ and lib/, never the other way round: a route passes its server actions down as
// props. Matches `@/app/…` and any relative path that climbs into app/.
const appImport = {
  regex: '^(@/app(/.*)?|(\\.\\./)+app(/.*)?)$',
  message:
    'components/ and lib/ must not import app/: move the code next to its route or pass it in as a prop.',
};

// lib/ sits under both: UI reaches lib/, never the other way round.
const componentsImport = {
  regex: '^(@/components(/.*)?|(\\.\\./)+components(/.*)?)$',
  message: 'lib/ must not import components/: move the shared word or type down into lib/ (lib/vocabulary).',
};

// Links go through components/ui/link.tsx, which prefetches on intent instead of on sight (see there).
const nextLink = {
  name: 'next/link',
  message:
    "Use Link from '@/components/ui/link' (or TextLink / ButtonLink): it prefetches on intent, not on sight.",
};

const config = [
  ...nextVitals,
  ...nextTs,
  {
    ignores: [
      '.next/**',
      '.next-*/**',
      'e2e/.auth/**',
      'node_modules/**',
      '.data/**',
      'next-env.d.ts',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  {
    files: ['components/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: serverOnly,
              message: 'components/ must not import server-only modules.',
              allowTypeImports: true,
            },
            appImport,
          ],
          paths: [nextLink],
        },
      ],
    },
  },
  {
    files: ['components/ui/link.tsx'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['app/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { paths: [nextLink] }] },
  },
  {
    // Integration tests under lib/ drive the route's actions and handlers the way Next calls them.
    files: ['lib/**/*.{ts,tsx}'],
    ignores: ['lib/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [appImport, componentsImport] }] },
  },
  {
    files: ['lib/**/*.test.{ts,tsx}'],
    rules: { 'no-restricted-imports': ['error', { patterns: [componentsImport] }] },
  },
  {
    // The words every layer shares: client-safe, and built from nothing else of ours.
    files: ['lib/vocabulary/**/*.{ts,tsx}'],
    ignores: ['lib/vocabulary/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: '^(@/|\\.\\./)', message: 'lib/vocabulary imports nothing of ours (only ./ siblings).' },
          ],
          paths: [
            { name: 'zod', message: 'lib/vocabulary stays free of zod: schemas build on it elsewhere.' },
            { name: 'server-only', message: 'lib/vocabulary is client-safe.' },
          ],
        },
      ],
    },
  },
  {
    // Test helpers and fixtures have one home, and the product never reaches it.
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}', 'lib/**/*.{ts,tsx}', '*.ts'],
    ignores: ['**/*.test.{ts,tsx}', 'lib/testing/**', '*.config.ts'],
    rules: {
      'import/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: '.',
              from: './lib/testing',
              message: 'Product code must not import test helpers (lib/testing).',
            },
          ],
        },
      ],
    },
  },
  {
    // One way for the browser to call an action: useConsoleAction (request key, pending, one unreachable message).
    files: ['app/**/*.{ts,tsx}', 'components/**/*.{ts,tsx}'],
    ignores: [
      'components/forms/console-action.ts',
      'app/sign-in/_components/sign-in-form.tsx',
      '**/*.test.{ts,tsx}',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[value=/^The console could not be reached/]',
          message:
            'Call the action with useConsoleAction (or use CONSOLE_UNREACHABLE): one message, one place.',
        },
        {
          selector: "ImportDeclaration[source.value='react'] ImportSpecifier[imported.name='useActionState']",
          message:
            'Call actions with useConsoleAction; only the sign-in form is progressive (it works before scripts load).',
        },
      ],
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
];

export default config;
