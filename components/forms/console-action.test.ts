import { describe, expect, it } from 'vitest';
import { fail, ok, type ActionResult } from '@/lib/vocabulary';
import { REQUEST_KEY } from '@/lib/actions/request-key';
import { actionCaller, CONSOLE_UNREACHABLE } from './console-action';

type Input = { sessionId: string; reason: string; password?: string; idempotencyKey?: string };

function recorder(answers: (() => Promise<ActionResult<string>>)[]) {
  const seen: Input[] = [];
  const action = (input: Input) => {
    seen.push(input);
    const next = answers.shift();
    if (!next) throw new Error('no answer left');
    return next();
  };
  return { seen, action };
}

const answered = (r: ActionResult<string>) => () => Promise.resolve(r);
const lost = () => Promise.reject(new TypeError('Failed to fetch'));

describe('actionCaller', () => {
  it('turns a failed request into the one "could not be reached" message, never the thrown text', async () => {
    const { action } = recorder([lost]);
    const r = await actionCaller(action)({ sessionId: 'sess_1', reason: 'lost phone' });
    expect(r).toMatchObject({ ok: false, kind: 'unknown', message: CONSOLE_UNREACHABLE });
    expect(JSON.stringify(r)).not.toContain('Failed to fetch');
  });

  it('retries a lost answer under the same request key, and the next request gets a new one', async () => {
    const { seen, action } = recorder([
      lost,
      answered(ok('Session revoked.', 'x')),
      answered(ok('done', 'y')),
    ]);
    const call = actionCaller(action, { requestKey: true });
    const input = { sessionId: 'sess_1', reason: 'lost phone' };
    const first = await call(input);
    const retry = await call(input);
    const next = await call(input);
    expect(retry).toMatchObject({ ok: true, message: 'Session revoked.', requestKey: first.requestKey });
    expect(first.requestKey).toMatch(REQUEST_KEY);
    expect(seen.map((s) => s.idempotencyKey)).toEqual([first.requestKey, first.requestKey, next.requestKey]);
    expect(next.requestKey).not.toBe(first.requestKey);
  });

  it('gives a different input its own key even while another is unanswered', async () => {
    const { seen, action } = recorder([lost, answered(ok('a', 'a')), lost]);
    const call = actionCaller(action, { requestKey: true });
    await call({ sessionId: 'sess_1', reason: 'lost phone' });
    await call({ sessionId: 'sess_2', reason: 'lost phone' });
    await call({ reason: 'lost phone', sessionId: 'sess_1' });
    const [a, b, c] = seen.map((s) => s.idempotencyKey);
    expect(b).not.toBe(a);
    expect(c).toBe(a);
  });

  it('keeps the key while the server says the first attempt is still running', async () => {
    const { seen, action } = recorder([
      answered(fail('in_progress', 'still running')),
      answered(ok('minted', 'jwt')),
    ]);
    const call = actionCaller(action, { requestKey: true });
    await call({ sessionId: 'sess_1', reason: 'ticket 1' });
    await call({ sessionId: 'sess_1', reason: 'ticket 1' });
    expect(seen[1]!.idempotencyKey).toBe(seen[0]!.idempotencyKey);
  });

  it('treats a retry with a new step-up password as the same request when the password is left out', async () => {
    const { seen, action } = recorder([lost, answered(ok('minted', 'jwt'))]);
    const call = actionCaller(action, { requestKey: true, omit: ['password'] });
    await call({ sessionId: 'sess_1', reason: 'ticket 1', password: 'first' });
    await call({ sessionId: 'sess_1', reason: 'ticket 1', password: 'second' });
    expect(seen[1]!.idempotencyKey).toBe(seen[0]!.idempotencyKey);
    expect(seen[1]!.password).toBe('second');
  });

  it('sends no key unless asked, and lets a router signal through', async () => {
    const redirect = Object.assign(new Error('NEXT_REDIRECT'), {
      digest: 'NEXT_REDIRECT;push;/sign-in;307;',
    });
    const { seen, action } = recorder([answered(ok('ok', 'z')), () => Promise.reject(redirect)]);
    const call = actionCaller(action, {
      rethrow: (e) => {
        if (e === redirect) throw e;
      },
    });
    expect(await call({ sessionId: 'sess_1', reason: 'x' })).toMatchObject({ ok: true, requestKey: null });
    expect(seen[0]).not.toHaveProperty('idempotencyKey');
    await expect(call({ sessionId: 'sess_1', reason: 'x' })).rejects.toBe(redirect);
  });
});
