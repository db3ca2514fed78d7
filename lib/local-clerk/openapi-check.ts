// Test support: checks a JSON answer against a response schema of Clerk's OpenAPI file (the extract in
// testdata/bapi-account-schemas.json, made by scripts/extract-bapi-schemas.mjs). It understands the part of
// OpenAPI 3.0 those schemas use: $ref, type, nullable, enum, pattern, lengths, bounds, required, properties,
// additionalProperties, items, allOf, anyOf and oneOf (as "at least one").
import fs from 'node:fs';
import path from 'node:path';

interface Schema {
  $ref?: string;
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
  nullable?: boolean;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  minItems?: number;
  maxItems?: number;
  required?: string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  allOf?: Schema[];
  anyOf?: Schema[];
  oneOf?: Schema[];
}

interface Extract {
  schemas: Record<string, Schema>;
  components: Record<string, Schema>;
}

const extract = JSON.parse(
  fs.readFileSync(path.join(import.meta.dirname, 'testdata', 'bapi-account-schemas.json'), 'utf8'),
) as Extract;

export type BapiSchemaName =
  | 'User'
  | 'UserList'
  | 'DisableMfa'
  | 'TrustedDeviceList'
  | 'TrustedDevice'
  | 'ApiKeyList'
  | 'ApiKeyCreated'
  | 'ApiKey'
  | 'ApiKeyRevoked'
  | 'ApiKeyError'
  | 'ClerkErrors';

function typeOk(type: Schema['type'], v: unknown): boolean {
  switch (type) {
    case undefined:
      return true;
    case 'integer':
      return Number.isInteger(v);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    case 'array':
      return Array.isArray(v);
    case 'object':
      return typeof v === 'object' && v !== null && !Array.isArray(v);
    default:
      return typeof v === type;
  }
}

function check(s: Schema, v: unknown, at: string, out: string[]): void {
  if (s.$ref) {
    const name = s.$ref.replace('#/components/schemas/', '');
    const target = extract.components[name];
    if (!target) out.push(`${at}: unknown schema ${s.$ref}`);
    else check(target, v, at, out);
    return;
  }
  for (const sub of s.allOf ?? []) check(sub, v, at, out);
  for (const alternatives of [s.anyOf, s.oneOf]) {
    if (!alternatives) continue;
    const fits = alternatives.some((alt) => {
      const errs: string[] = [];
      check(alt, v, at, errs);
      return errs.length === 0;
    });
    if (!fits) out.push(`${at}: matches none of ${alternatives.length} alternatives`);
  }
  if (v === null) {
    if (!s.nullable && (s.type || s.properties || s.enum)) out.push(`${at}: null is not allowed`);
    return;
  }
  const type = s.type ?? (s.properties ? 'object' : undefined);
  if (!typeOk(type, v)) {
    out.push(`${at}: expected ${type}, got ${JSON.stringify(v)?.slice(0, 60)}`);
    return;
  }
  if (s.enum && !s.enum.includes(v))
    out.push(`${at}: ${JSON.stringify(v)} is not one of ${s.enum.join(', ')}`);
  if (typeof v === 'string') {
    if (s.pattern && !new RegExp(s.pattern, 'u').test(v)) out.push(`${at}: ${v} does not match ${s.pattern}`);
    if (s.minLength !== undefined && v.length < s.minLength) out.push(`${at}: shorter than ${s.minLength}`);
    if (s.maxLength !== undefined && v.length > s.maxLength) out.push(`${at}: longer than ${s.maxLength}`);
  }
  if (typeof v === 'number') {
    if (s.minimum !== undefined && (s.exclusiveMinimum ? v <= s.minimum : v < s.minimum))
      out.push(`${at}: below ${s.minimum}`);
    if (s.maximum !== undefined && v > s.maximum) out.push(`${at}: above ${s.maximum}`);
  }
  if (Array.isArray(v)) {
    if (s.minItems !== undefined && v.length < s.minItems) out.push(`${at}: fewer than ${s.minItems} items`);
    if (s.maxItems !== undefined && v.length > s.maxItems) out.push(`${at}: more than ${s.maxItems} items`);
    if (s.items) v.forEach((item, i) => check(s.items as Schema, item, `${at}[${i}]`, out));
  }
  if (type === 'object') {
    const obj = v as Record<string, unknown>;
    for (const key of s.required ?? []) if (!(key in obj)) out.push(`${at}: missing ${key}`);
    for (const [key, value] of Object.entries(obj)) {
      const prop = s.properties?.[key];
      if (prop) check(prop, value, `${at}.${key}`, out);
      else if (s.additionalProperties === false) out.push(`${at}: unexpected field ${key}`);
      else if (typeof s.additionalProperties === 'object')
        check(s.additionalProperties, value, `${at}.${key}`, out);
    }
  }
}

/** Every way `value` breaks the named response schema (empty when it conforms). */
export function schemaErrors(
  name: BapiSchemaName,
  value: unknown,
  ignoreFields: readonly string[] = [],
): string[] {
  const out: string[] = [];
  check(extract.schemas[name] as Schema, value, name, out);
  return out.filter((e) => !ignoreFields.some((f) => e.endsWith(`unexpected field ${f}`)));
}
