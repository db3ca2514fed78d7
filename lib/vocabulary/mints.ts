/** A template token the console minted for a user that may still be valid: it cannot be recalled. */
export interface OpenMint {
  intentId: string;
  sessionId: string;
  template: string | null;
  mintedAt: number;
  /** Milliseconds. For a mint whose outcome is not known, the latest the token could be valid until. */
  expiresAt: number;
  confirmed: boolean;
}
