import { describe, expect, it } from 'vitest';
import {
  RESERVED_TEMPLATE_CLAIMS,
  TEMPLATE_LIMITS,
  TemplateClaimsError,
  findReservedClaim,
  renderClaims,
  validateTemplateClaims,
  type ShortcodeContext,
} from './shortcodes';
import type { SessionJson, UserJson } from './types';

const CREATED = 1_700_000_000_123;

function makeUser(over: Partial<UserJson> = {}): UserJson {
  return {
    object: 'user',
    id: 'user_2abc',
    external_id: 'ext-42',
    primary_email_address_id: 'idn_email',
    primary_phone_number_id: 'idn_phone',
    primary_web3_wallet_id: null,
    username: 'ada',
    first_name: 'Ada',
    last_name: 'Lovelace',
    image_url: 'https://img.example/ada.png',
    has_image: true,
    public_metadata: { role: 'admin', tier: 3, flags: { beta: true, list: [1, 2] }, 'dash-key': 'x' },
    private_metadata: { stripe_secret: 'sk_live_leak' },
    unsafe_metadata: { theme: 'dark', nested: { deep: { value: 7 } } },
    email_addresses: [
      {
        object: 'email_address',
        id: 'idn_other',
        email_address: 'old@example.com',
        reserved: false,
        verification: {
          object: 'verification_otp',
          status: 'verified',
          strategy: 'email_code',
          attempts: 1,
          expire_at: null,
        },
        linked_to: [],
        created_at: CREATED,
        updated_at: CREATED,
      },
      {
        object: 'email_address',
        id: 'idn_email',
        email_address: 'ada@example.com',
        reserved: false,
        verification: {
          object: 'verification_otp',
          status: 'verified',
          strategy: 'email_code',
          attempts: 1,
          expire_at: null,
        },
        linked_to: [],
        created_at: CREATED,
        updated_at: CREATED,
      },
    ],
    phone_numbers: [
      {
        object: 'phone_number',
        id: 'idn_phone',
        phone_number: '+15555550100',
        reserved_for_second_factor: false,
        default_second_factor: false,
        reserved: false,
        verification: {
          object: 'verification_otp',
          status: 'unverified',
          strategy: 'phone_code',
          attempts: 0,
          expire_at: null,
        },
        linked_to: [],
        backup_codes: null,
        created_at: CREATED,
        updated_at: CREATED,
      },
    ],
    web3_wallets: [],
    passkeys: [],
    external_accounts: [],
    saml_accounts: [],
    enterprise_accounts: [],
    password_enabled: true,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    banned: false,
    locked: false,
    lockout_expires_in_seconds: null,
    verification_attempts_remaining: null,
    delete_self_enabled: true,
    create_organization_enabled: true,
    last_sign_in_at: CREATED + 5_999,
    last_active_at: CREATED,
    mfa_enabled_at: null,
    mfa_disabled_at: null,
    legal_accepted_at: null,
    created_at: CREATED,
    updated_at: CREATED + 60_000,
    ...over,
  };
}

function makeSession(over: Partial<SessionJson> = {}): SessionJson {
  return {
    object: 'session',
    id: 'sess_1',
    user_id: 'user_2abc',
    client_id: 'client_1',
    actor: null,
    status: 'active',
    last_active_organization_id: 'org_9',
    last_active_at: CREATED,
    latest_activity: null,
    expire_at: CREATED + 7 * 86_400_000,
    abandon_at: CREATED + 30 * 86_400_000,
    updated_at: CREATED,
    created_at: CREATED,
    tasks: null,
    ...over,
  };
}

const ctx = (user: Partial<UserJson> = {}, session: Partial<SessionJson> = {}): ShortcodeContext => ({
  user: makeUser(user),
  session: makeSession(session),
});

/** Renders one value and returns it. */
const one = (v: unknown, c: ShortcodeContext = ctx()) => renderClaims({ v }, c).v;

describe('renderClaims: shortcodes', () => {
  it('resolves every user shortcode with the type of its value', () => {
    const out = renderClaims(
      {
        id: '{{user.id}}',
        external_id: '{{user.external_id}}',
        first: '{{user.first_name}}',
        last: '{{user.last_name}}',
        full: '{{user.full_name}}',
        username: '{{user.username}}',
        email: '{{user.primary_email_address}}',
        phone_docs: '{{user.primary_phone_address}}',
        phone: '{{user.primary_phone_number}}',
        image: '{{user.image_url}}',
        has_image: '{{user.has_image}}',
        created: '{{user.created_at}}',
        updated: '{{user.updated_at}}',
        last_sign_in: '{{user.last_sign_in_at}}',
        email_verified: '{{user.email_verified}}',
        phone_verified: '{{user.phone_number_verified}}',
        two_factor: '{{user.two_factor_enabled}}',
      },
      ctx(),
    );
    expect(out).toStrictEqual({
      id: 'user_2abc',
      external_id: 'ext-42',
      first: 'Ada',
      last: 'Lovelace',
      full: 'Ada Lovelace',
      username: 'ada',
      email: 'ada@example.com', // the primary one, not the first in the list
      phone_docs: '+15555550100',
      phone: '+15555550100',
      image: 'https://img.example/ada.png',
      has_image: true,
      created: 1_700_000_000, // unix seconds, floored
      updated: 1_700_000_060,
      last_sign_in: 1_700_000_006,
      email_verified: true,
      phone_verified: false,
      two_factor: false,
    });
  });

  it('resolves session and org shortcodes, keeping the actor an object', () => {
    const actor = { sub: 'user_admin', iss: 'https://dashboard.clerk.com' };
    const out = renderClaims(
      {
        sid: '{{session.id}}',
        status: '{{session.status}}',
        actor: '{{session.actor}}',
        actor_sub: '{{session.actor.sub}}',
        org: '{{session.last_active_organization_id}}',
        org_id: '{{org.id}}',
      },
      ctx({}, { actor, status: 'pending' }),
    );
    expect(out).toStrictEqual({
      sid: 'sess_1',
      status: 'pending',
      actor,
      actor_sub: 'user_admin',
      org: 'org_9',
      org_id: 'org_9',
    });
    expect(out.actor).not.toBe(actor); // a copy: mutating the claims cannot touch the stored session
  });

  it('gives null for absent values: no actor, no org, no primary email, missing names', () => {
    const c = ctx(
      {
        first_name: null,
        last_name: null,
        primary_email_address_id: null,
        last_sign_in_at: null,
        external_id: null,
      },
      { actor: null, last_active_organization_id: null },
    );
    expect(
      renderClaims(
        {
          actor: '{{session.actor}}',
          org: '{{org.id}}',
          email: '{{user.primary_email_address}}',
          verified: '{{user.email_verified}}',
          full: '{{user.full_name}}',
          last_sign_in: '{{user.last_sign_in_at}}',
          ext: '{{user.external_id}}',
        },
        c,
      ),
    ).toStrictEqual({
      actor: null,
      org: null,
      email: null,
      verified: false,
      full: null,
      last_sign_in: null,
      ext: null,
    });
  });

  it('joins full_name from whichever part exists', () => {
    expect(one('{{user.full_name}}', ctx({ first_name: null }))).toBe('Lovelace');
    expect(one('{{user.full_name}}', ctx({ last_name: '' }))).toBe('Ada');
  });

  it('reads metadata whole, by dotted path, and by bracket path, keeping types', () => {
    const c = ctx();
    expect(one('{{user.public_metadata}}', c)).toStrictEqual(c.user.public_metadata);
    expect(one('{{user.public_metadata.tier}}', c)).toBe(3);
    expect(one('{{user.public_metadata.flags.beta}}', c)).toBe(true);
    expect(one('{{user.public_metadata.flags.list}}', c)).toStrictEqual([1, 2]);
    expect(one('{{user.public_metadata.flags.list[1]}}', c)).toBe(2);
    expect(one("{{user.public_metadata['dash-key']}}", c)).toBe('x');
    expect(one('{{user.unsafe_metadata.nested.deep}}', c)).toStrictEqual({ value: 7 });
    expect(one('{{user.unsafe_metadata.nested.deep.value}}', c)).toBe(7);
    expect(one('{{user.public_metadata.missing.path}}', c)).toBeNull();
    expect(one('{{user.public_metadata.role.length}}', c)).toBeNull(); // no walking into strings
  });

  it('tolerates whitespace inside the braces', () => {
    expect(one('{{  user.id  }}')).toBe('user_2abc');
  });
});

describe('renderClaims: what a template must never reach', () => {
  it('renders private metadata, unknown fields and unknown roots as null', () => {
    const out = renderClaims(
      {
        all: '{{user.private_metadata}}',
        secret: '{{user.private_metadata.stripe_secret}}',
        bracket: "{{user['private_metadata']}}",
        unlisted: '{{user.password_enabled}}',
        raw: '{{user.email_addresses}}',
        client: '{{session.client_id}}',
        env: '{{process.env}}',
        bare: '{{user}}',
        text: 'secret={{user.private_metadata.stripe_secret}}',
      },
      ctx(),
    );
    expect(out).toStrictEqual({
      all: null,
      secret: null,
      bracket: null,
      unlisted: null,
      raw: null,
      client: null,
      env: null,
      bare: null,
      text: 'secret=null',
    });
    expect(JSON.stringify(out)).not.toContain('sk_live_leak');
  });

  it('resolves __proto__, constructor and prototype path segments to null', () => {
    const c = ctx({
      public_metadata: JSON.parse('{"__proto__": {"polluted": 1}, "a": {}}') as Record<string, unknown>,
    });
    expect(one('{{user.public_metadata.__proto__}}', c)).toBeNull();
    expect(one('{{user.public_metadata.__proto__.polluted}}', c)).toBeNull();
    expect(one('{{user.public_metadata.a.constructor}}', c)).toBeNull();
    expect(one('{{user.public_metadata.a.constructor.prototype}}', c)).toBeNull();
    expect(one("{{user.public_metadata['__proto__']}}", c)).toBeNull();
    expect(one('{{user.constructor}}', c)).toBeNull();
    expect(one('{{user.hasOwnProperty}}', c)).toBeNull();
    expect(one('{{user.toString}}', c)).toBeNull();
  });

  it('drops a __proto__ claim and never re-parents the output or pollutes Object.prototype', () => {
    const claims = JSON.parse(
      '{"__proto__": {"isAdmin": true}, "nested": {"__proto__": {"isAdmin": true}}}',
    ) as Record<string, unknown>;
    const out = renderClaims(claims, ctx());
    expect(Object.keys(out)).toStrictEqual(['nested']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect((out.nested as { isAdmin?: unknown }).isAdmin).toBeUndefined();
    expect(({} as { isAdmin?: unknown }).isAdmin).toBeUndefined();
  });

  it('strips __proto__ keys from copied metadata too', () => {
    const c = ctx({
      public_metadata: JSON.parse('{"obj": {"__proto__": {"x": 1}, "ok": 2}}') as Record<string, unknown>,
    });
    const out = one('{{user.public_metadata.obj}}', c) as Record<string, unknown>;
    expect(Object.keys(out)).toStrictEqual(['ok']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('renderClaims: interpolation and fallbacks', () => {
  it('interpolates text around and between shortcodes into a string, null parts as "null"', () => {
    expect(one('{{user.last_name}}, {{user.first_name}}')).toBe('Lovelace, Ada');
    expect(one('id:{{user.id}}')).toBe('id:user_2abc');
    expect(one('{{user.first_name}}{{user.last_name}}')).toBe('AdaLovelace');
    expect(one('{{user.username}} {{user.unknown}}')).toBe('ada null');
    expect(one('tier {{user.public_metadata.tier}} beta {{user.public_metadata.flags.beta}}')).toBe(
      'tier 3 beta true',
    );
    expect(one(' {{user.public_metadata.tier}}')).toBe(' 3'); // surrounding text makes it a string
    expect(one('f={{user.public_metadata.flags}}')).toBe('f={"beta":true,"list":[1,2]}');
  });

  it('leaves strings without a complete shortcode untouched', () => {
    expect(one('plain')).toBe('plain');
    expect(one('{{user.id')).toBe('{{user.id');
    expect(one('a {{ b')).toBe('a {{ b');
    expect(one('{single}')).toBe('{single}');
  });

  it('takes the first truthy operand of a fallback', () => {
    expect(one('{{user.public_metadata.missing || user.username}}')).toBe('ada');
    expect(one('{{user.username || user.id}}')).toBe('ada');
    expect(one('{{user.unknown || user.public_metadata.nope || user.public_metadata.tier}}')).toBe(3);
  });

  it('falls back to literals: quoted strings, numbers, booleans and null', () => {
    const c = ctx({ username: null });
    expect(one("{{user.username || 'anonymous'}}", c)).toBe('anonymous');
    expect(one("{{user.username || 'it\\'s || fine'}}", c)).toBe("it's || fine");
    expect(one("{{ user.username || 'a}}b' }}", c)).toBe('a}}b');
    expect(one('{{user.username || 42}}', c)).toBe(42);
    expect(one('{{user.username || -1.5}}', c)).toBe(-1.5);
    expect(one('{{user.username || true}}', c)).toBe(true);
    expect(one('{{user.username || null}}', c)).toBeNull();
  });

  it('returns the last operand when none is truthy, even a falsy literal', () => {
    const c = ctx({ username: null });
    expect(one('{{user.username || false}}', c)).toBe(false);
    expect(one('{{user.username || 0}}', c)).toBe(0);
    expect(one("{{user.username || ''}}", c)).toBe('');
    expect(one('{{user.two_factor_enabled || user.username}}', c)).toBeNull();
  });

  it('uses fallbacks inside interpolation', () => {
    expect(one("Hi {{user.username || 'there'}}!", ctx({ username: null }))).toBe('Hi there!');
  });

  it('treats malformed operands as null', () => {
    expect(one("{{'unterminated}}")).toBe("{{'unterminated}}"); // the quote swallows the close: plain text
    expect(one('{{user.id extra}}')).toBeNull();
    expect(one('{{user..id}}')).toBeNull();
    expect(one('{{}}')).toBeNull();
    expect(one('{{ || }}')).toBeNull();
    expect(one('{{user.public_metadata[tier]}}')).toBeNull(); // brackets take a quoted key or an index
  });
});

describe('renderClaims: structure', () => {
  it('copies static JSON as-is and renders nested objects and arrays', () => {
    const out = renderClaims(
      {
        static: { n: 1, b: false, z: null, s: 'text', arr: [1, 'two'] },
        'https://hasura.io/jwt/claims': {
          'x-hasura-user-id': '{{user.id}}',
          'x-hasura-default-role': "{{user.public_metadata.role || 'user'}}",
          'x-hasura-allowed-roles': ['user', '{{user.public_metadata.role}}'],
        },
        list: ['{{user.public_metadata.tier}}', { who: '{{user.username}}' }, ['{{session.id}}']],
      },
      ctx(),
    );
    expect(out).toStrictEqual({
      static: { n: 1, b: false, z: null, s: 'text', arr: [1, 'two'] },
      'https://hasura.io/jwt/claims': {
        'x-hasura-user-id': 'user_2abc',
        'x-hasura-default-role': 'admin',
        'x-hasura-allowed-roles': ['user', 'admin'],
      },
      list: [3, { who: 'ada' }, ['sess_1']],
    });
  });

  it('does not mutate the template', () => {
    const claims = { a: '{{user.id}}', b: { c: ['{{user.username}}'] } };
    const before = structuredClone(claims);
    renderClaims(claims, ctx());
    expect(claims).toStrictEqual(before);
  });

  it('refuses templates that are too deep, too large or cyclic', () => {
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < TEMPLATE_LIMITS.maxDepth + 1; i++) deep = { d: deep };
    expect(() => renderClaims(deep, ctx())).toThrow(TemplateClaimsError);

    const wide = Object.fromEntries(
      Array.from({ length: TEMPLATE_LIMITS.maxNodes + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(() => renderClaims(wide, ctx())).toThrow(/at most/);

    expect(() => renderClaims({ s: 'x'.repeat(TEMPLATE_LIMITS.maxStringLength + 1) }, ctx())).toThrow(
      TemplateClaimsError,
    );

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => renderClaims(cyclic, ctx())).toThrow(TemplateClaimsError);
  });

  it('renders a template at the limits, and pathological strings as the literal text they are', () => {
    const claims = Object.fromEntries(
      Array.from({ length: TEMPLATE_LIMITS.maxNodes - 1 }, (_, i) => [
        `k${i}`,
        '{{user.username || user.id}} {{user.public_metadata.flags}}',
      ]),
    );
    const nasty = {
      a: '{{'.repeat(2_000),
      b: "{{ '".repeat(1_000),
      c: '{{a||'.repeat(800),
      d: `{{${'|'.repeat(4_000)}}}`,
    };
    expect(Object.keys(renderClaims(claims, ctx()))).toHaveLength(TEMPLATE_LIMITS.maxNodes - 1);
    const out = renderClaims(nasty, ctx());
    expect(out.a).toBe('{{'.repeat(2_000));
  });
});

describe('reserved claims and template validation', () => {
  it('lists exactly Clerk reserved claims', () => {
    expect([...RESERVED_TEMPLATE_CLAIMS].sort()).toStrictEqual([
      'azp',
      'exp',
      'iat',
      'iss',
      'jti',
      'nbf',
      'sub',
    ]);
  });

  it('finds a reserved top-level claim and ignores nested or similar names', () => {
    expect(findReservedClaim({ role: 'x', sub: '{{user.id}}' })).toBe('sub');
    expect(findReservedClaim({ exp: 1 })).toBe('exp');
    expect(findReservedClaim({ azp: 'x' })).toBe('azp');
    expect(findReservedClaim({ nested: { sub: 'x' }, subject: 'y', sid: 'z', aud: 'w' })).toBeNull();
    expect(findReservedClaim({})).toBeNull();
  });

  it('validateTemplateClaims reports reserved claims, limits and non-objects', () => {
    expect(validateTemplateClaims({ aud: 'x', role: '{{user.public_metadata.role}}' })).toBeNull();
    expect(validateTemplateClaims({ iss: 'me' })).toMatch(/reserved claim: 'iss'/);
    expect(validateTemplateClaims([])).toMatch(/JSON object/);
    expect(validateTemplateClaims('x')).toMatch(/JSON object/);
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(validateTemplateClaims(deep)).toMatch(/nest at most/);
  });
});
