// Fault injection for tests (only with `faults: true`): rules that slow, fail or drop /v1 requests, and a request log.
import { z } from 'zod';

const MAX_LATENCY_MS = 60_000;
const MAX_LOGGED_REQUESTS = 10_000;

const ruleSchema = z.strictObject({
  method: z
    .string()
    .regex(/^[A-Za-z]{1,16}$/)
    .optional(),
  path: z.string().min(1).max(1000),
  status: z.number().int().min(200).max(599).optional(),
  body: z.string().max(1_000_000).optional(),
  contentType: z.string().min(1).max(200).optional(),
  latencyMs: z.number().int().min(0).max(MAX_LATENCY_MS).optional(),
  reset: z.boolean().optional(),
  retryAfter: z.number().int().min(0).max(86_400).optional(),
  times: z.number().int().min(1).optional(),
  /** Top-level fields dropped from the real answer (e.g. `latest_activity`, as clerk-sdk-python#120 reports). */
  omit: z
    .array(z.string().regex(/^[a-z_]{1,64}$/))
    .max(20)
    .optional(),
});

export const faultRulesSchema = z.strictObject({ rules: z.array(ruleSchema).max(100) });

export type FaultRuleInput = z.infer<typeof ruleSchema>;

export interface FaultRule extends FaultRuleInput {
  pattern: RegExp;
  remaining?: number;
  /** From `?scope=`, so parallel test workers only replace and clear their own rules. */
  scope?: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  at: number;
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private log: LoggedRequest[] = [];
  private logged = 0;

  setRules(input: unknown, scope?: string): FaultRule[] {
    const parsed = faultRulesSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new FaultRuleError(issue?.path.join('.') || 'rules', issue?.message ?? 'invalid fault rules');
    }
    const rules = parsed.data.rules.map((r, i) => {
      let pattern: RegExp;
      try {
        pattern = new RegExp(r.path);
      } catch {
        throw new FaultRuleError(`rules.${i}.path`, 'not a valid regular expression');
      }
      return { ...r, method: r.method?.toUpperCase(), pattern, remaining: r.times, scope };
    });
    this.rules = scope === undefined ? rules : [...this.rules.filter((r) => r.scope !== scope), ...rules];
    return rules;
  }

  clear(scope?: string): void {
    this.rules = scope === undefined ? [] : this.rules.filter((r) => r.scope !== scope);
  }

  describe(): FaultRuleInput[] {
    return this.rules.map(({ pattern: _p, remaining, times: _t, scope: _s, ...rest }) => ({
      ...rest,
      ...(remaining === undefined ? {} : { times: remaining }),
    }));
  }

  take(method: string, path: string): FaultRule | undefined {
    const rule = this.rules.find((r) => (!r.method || r.method === method) && r.pattern.test(path));
    if (rule?.remaining !== undefined) {
      rule.remaining -= 1;
      if (rule.remaining <= 0) this.rules = this.rules.filter((r) => r !== rule);
    }
    return rule;
  }

  record(method: string, path: string, query: string, at: number = Date.now()): void {
    this.logged += 1;
    this.log.push({ method, path, query, at });
    if (this.log.length > MAX_LOGGED_REQUESTS) this.log.shift();
  }

  requests(): { count: number; requests: LoggedRequest[] } {
    return { count: this.logged, requests: [...this.log] };
  }

  clearRequests(): void {
    this.log = [];
    this.logged = 0;
  }
}

/** The route's answer without the rule's `omit` fields (an object answer only; anything else as it is). */
export function omitFields(body: unknown, rule: FaultRule | undefined): unknown {
  if (!rule?.omit?.length || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  const out = { ...(body as Record<string, unknown>) };
  for (const field of rule.omit) delete out[field];
  return out;
}

export class FaultRuleError extends Error {
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(message);
  }
}
