/** What starting a job asks of the staff member again: the password, a fresh SSO sign-in, or nothing. */
export type JobStepUp = { kind: 'password' } | { kind: 'sso'; fresh: boolean } | null;
