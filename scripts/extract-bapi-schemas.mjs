// Regenerates lib/local-clerk/testdata/bapi-account-schemas.json from Clerk's OpenAPI file (clerk/openapi-specs
// bapi/2026-05-12.yml): the response schemas of the account-security endpoints, with every $ref inlined, so the
// embedded API's tests check its answers against Clerk's own schemas without the 20,000-line spec in the repo.
// Usage: node scripts/extract-bapi-schemas.mjs <path to clerk-bapi-2026-05-12.yml>
import fs from 'node:fs';
import path from 'node:path';
// js-yaml comes with ESLint (a dev dependency): this script only runs by hand, when the spec file changes.
import yaml from 'js-yaml';

const spec = yaml.load(fs.readFileSync(process.argv[2], 'utf8'));
// Response wrappers (#/components/responses/…) are inlined; schemas (#/components/schemas/…) stay references and
// are copied once into `components`, with everything they reference in turn.
const components = {};
const lookup = (ref) =>
  ref
    .replace(/^#\//, '')
    .split('/')
    .reduce((o, k) => o[k], spec);
// Under `properties` every key is a field name (an API key has a `description`), never documentation.
const keep = (node, fields = false) => {
  if (Array.isArray(node)) return node.map((n) => keep(n));
  if (!node || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    const m = /^#\/components\/schemas\/(.+)$/.exec(node.$ref);
    if (!m) return keep(lookup(node.$ref));
    if (!(m[1] in components)) {
      components[m[1]] = {};
      components[m[1]] = keep(lookup(node.$ref));
    }
    return { $ref: node.$ref };
  }
  return Object.fromEntries(
    Object.entries(node)
      .filter(([k]) => fields || !['example', 'examples', 'description'].includes(k))
      .map(([k, v]) => [k, keep(v, !fields && k === 'properties')]),
  );
};
const json = (op, status) => keep(op.responses[status]).content['application/json'].schema;
const p = spec.paths;
const out = {
  source: 'clerk/openapi-specs bapi/2026-05-12.yml',
  schemas: {
    User: json(p['/users/{user_id}/ban'].post, '200'),
    UserList: json(p['/users/ban'].post, '200'),
    DisableMfa: json(p['/users/{user_id}/mfa'].delete, '200'),
    TrustedDeviceList: json(p['/users/{user_id}/trusted_devices'].get, '200'),
    TrustedDevice: json(p['/users/{user_id}/trusted_devices/{trusted_device_id}'].delete, '200'),
    ApiKeyList: json(p['/api_keys'].get, '200'),
    ApiKeyCreated: json(p['/api_keys'].post, '200'),
    ApiKey: json(p['/api_keys/{apiKeyID}'].get, '200'),
    ApiKeyRevoked: json(p['/api_keys/{apiKeyID}/revoke'].post, '200'),
    ApiKeyError: json(p['/api_keys/{apiKeyID}/revoke'].post, '404'),
    ClerkErrors: json(p['/users/ban'].post, '400'),
  },
};
out.components = components;
const target = path.join(
  import.meta.dirname,
  '..',
  'lib',
  'local-clerk',
  'testdata',
  'bapi-account-schemas.json',
);
fs.writeFileSync(target, `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${target}`);
