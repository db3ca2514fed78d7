// Tests route lib/clerk's calls through a client of their own (the embedded API, a stub). The hook lives in
// lib/clerk/client.ts, next to the runtime it replaces, and refuses to run outside NODE_ENV=test; product code
// reaches neither it nor this module (lint).
export { setClerkClientForTests, type TestClientOptions } from '@/lib/clerk/runtime';
