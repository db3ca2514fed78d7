import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  // A separate build folder lets tests build without disturbing a console that is running from .next.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg', 'pino'],
  experimental: {
    serverActions: { bodySizeLimit: '64kb' },
    taint: true,
    authInterrupts: true,
  },
};

export default nextConfig;
