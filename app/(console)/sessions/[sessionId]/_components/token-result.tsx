'use client';

import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ExpiryCountdown } from './expiry-countdown';
import { tokenClockFromClaims } from './token-time';

export interface MintedToken {
  jwt: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  verified: boolean;
  verifyError: string | null;
  receivedAtMs: number;
}

function pretty(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return '(not displayable)';
  }
}

const PRE =
  'max-h-80 overflow-auto whitespace-pre-wrap break-all rounded-md bg-gray-50 p-3 font-mono text-xs dark:bg-gray-900';

/** Not in the DOM until "Reveal token" (shoulder surfers, screen shares); never in URL, storage or a query cache. */
export function TokenResult({
  token,
  userLabel,
  onDiscard,
}: {
  token: MintedToken;
  userLabel: string;
  onDiscard(): void;
}) {
  const [revealed, setRevealed] = useState(false);
  const clock = tokenClockFromClaims(token.claims, token.receivedAtMs);
  return (
    <section
      aria-labelledby="minted-token-heading"
      className="space-y-4 rounded-lg border border-amber-300 p-4 dark:border-amber-800"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id="minted-token-heading" className="text-base font-semibold">
          Token (shown once)
        </h3>
        <Button size="sm" variant="ghost" onClick={onDiscard}>
          Discard token
        </Button>
      </div>

      <Alert tone="warning" role={null} title="This token acts as the user">
        Anyone holding it can call your APIs as{' '}
        <span className="upstream-text font-semibold">{userLabel}</span> until it expires, even if the session
        is revoked. Copy it now into a secure channel; it is not stored and cannot be shown again.
      </Alert>

      <div>
        <div className="flex flex-wrap items-center gap-2">
          <Button
            size="sm"
            variant="secondary"
            onClick={() => setRevealed((r) => !r)}
            aria-expanded={revealed}
            aria-controls="minted-token-value"
          >
            {revealed ? 'Hide token' : 'Reveal token'}
          </Button>
          <CopyButton
            value={token.jwt}
            label="token"
            className="h-8 w-8 border border-gray-300 dark:border-gray-700"
          />
        </div>
        <div id="minted-token-value" className="mt-2">
          {revealed ? (
            <pre data-testid="token-jwt" role="region" tabIndex={0} aria-label="Token" className={PRE}>
              {token.jwt}
            </pre>
          ) : (
            <p className="rounded-md bg-gray-50 p-3 font-mono text-xs text-gray-600 dark:bg-gray-900 dark:text-gray-400">
              •••••••••••••••• (hidden; {token.jwt.length} characters)
            </p>
          )}
        </div>
      </div>

      {clock ? <ExpiryCountdown clock={clock} /> : <p className="text-sm">This token has no expiry claim.</p>}

      <p
        data-testid="token-verification"
        className={
          token.verified
            ? 'text-sm font-medium text-green-800 dark:text-green-300'
            : 'text-sm font-medium text-red-700 dark:text-red-400'
        }
      >
        <span aria-hidden="true">{token.verified ? '✓ ' : '✗ '}</span>
        {token.verified
          ? 'Signature verified against the instance JWKS'
          : `Signature could not be verified against the instance JWKS${token.verifyError ? `: ${token.verifyError}` : ''}`}
      </p>

      <div className="grid gap-3 lg:grid-cols-2">
        <JsonPart title="Header" testId="token-header" value={token.header} />
        <JsonPart title="Claims" testId="token-claims" value={token.claims} />
      </div>
    </section>
  );
}

function JsonPart({ title, testId, value }: { title: string; testId: string; value: unknown }) {
  return (
    <div>
      <h4 className="text-sm font-semibold">{title}</h4>
      <pre
        data-testid={testId}
        role="region"
        tabIndex={0}
        aria-label={`Token ${title.toLowerCase()}`}
        className={`${PRE} mt-1`}
      >
        {pretty(value)}
      </pre>
    </div>
  );
}
