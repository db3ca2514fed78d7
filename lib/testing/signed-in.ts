// Integration suites that run server actions mock Auth.js and next/headers the same way: the mocks read this one
// state, which the suite sets (`state.session = staffSession(id)`). Use:
//   vi.mock('@/lib/auth/auth', async () => (await import('@/lib/testing/signed-in')).mockedAuth);
//   vi.mock('next/headers', async () => (await import('@/lib/testing/signed-in')).mockedHeaders);
//   const state = signedInState({ 'x-console-client-ip': '198.51.100.7' });
import { vi } from 'vitest';

export interface MockedSession {
  staff: {
    staffId: string;
    sessionVersion: number;
    signedInAt: number;
    provider: string;
    authTime?: number | null;
    sid?: string | null;
  };
}

const state = {
  session: null as MockedSession | null,
  headers: new Headers({ 'user-agent': 'vitest-agent' }),
};

/** The request every mocked call sees: no session yet, and these headers (the client address among them). */
export function signedInState(headers: Record<string, string>): typeof state {
  state.session = null;
  state.headers = new Headers({ 'user-agent': 'vitest-agent', ...headers });
  return state;
}

export const mockedAuth = {
  auth: async () => state.session,
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: {},
};

export const mockedHeaders = {
  headers: async () => state.headers,
  cookies: async () => ({ get: () => undefined }),
};
