import 'server-only';
import { hash, parseOptions, verify, type Algorithm, type Options } from '@node-rs/argon2';

// argon2id at OWASP's baseline (19 MiB, 2 passes, 1 lane): memory-hard against a leaked staff table.
const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (an ambient const enum, unusable with isolatedModules)
export const PASSWORD_HASH_OPTIONS: Readonly<Options> = Object.freeze({
  algorithm: ARGON2ID,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
});

export const PASSWORD_MIN_LENGTH = 12;
/** Bounds the work one sign-in attempt can ask for. */
export const PASSWORD_MAX_LENGTH = 1024;

export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH)
    return `The password must be at least ${PASSWORD_MIN_LENGTH} characters long.`;
  if (password.length > PASSWORD_MAX_LENGTH)
    return `The password must be at most ${PASSWORD_MAX_LENGTH} characters long.`;
  if (password.trim() !== password) return 'The password must not start or end with a space.';
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  if (!password || password.length > PASSWORD_MAX_LENGTH)
    throw new Error('Refusing to hash an empty or oversized password.');
  return hash(password, PASSWORD_HASH_OPTIONS);
}

/** False for a wrong password AND for a malformed hash: a corrupt row must not become a way in, nor a crash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (!password || password.length > PASSWORD_MAX_LENGTH) return false;
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

export function needsRehash(passwordHash: string): boolean {
  try {
    const o = parseOptions(passwordHash);
    return (
      o.algorithm !== ARGON2ID ||
      o.memoryCost < PASSWORD_HASH_OPTIONS.memoryCost! ||
      o.timeCost < PASSWORD_HASH_OPTIONS.timeCost! ||
      o.parallelism !== PASSWORD_HASH_OPTIONS.parallelism
    );
  } catch {
    return true;
  }
}
