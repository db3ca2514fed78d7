import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  output: 'standalone',
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and server-only packages stay out of the bundle.
  serverExternalPackages: ['better-sqlite3', '@node-rs/argon2', 'pg', 'pino'],
  experimental: {
    serverActions: { bodySizeLimit: '64kb' },
    taint: true,
  },
};

export default nextConfig;
