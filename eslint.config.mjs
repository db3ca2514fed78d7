import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTs from 'eslint-config-next/typescript';

// Server-only modules (secrets, the Clerk client, the stores). lib/audit/types and lib/jobs/{types,inputs} are
// pure vocabulary and allowed.
const serverOnly = '^@/lib/(clerk|audit(?!/types$)|jobs(?!/(types|inputs)$)|env|db|local-clerk|log)(/.*)?$';

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
          ],
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
