// The words every layer shares. Client-safe: no zod, no server code, and no import of ours from outside this folder.
export * from './action-result';
export * from './approvals';
export * from './actor';
export * from './ids';
export * from './mints';
export * from './plural';
export * from './reason-limits';
export * from './reasons';
export * from './roles';
export * from './sessions';
export * from './signals';
export * from './step-up';
