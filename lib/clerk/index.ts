import 'server-only';

export { getClerkClient, createConsoleClerkClient, MAX_RETRY_AFTER_SECONDS } from './runtime';
export { assertClerkBudget } from './client';
export { withTraceId } from './trace';
export {
  ConsoleApiError,
  toConsoleApiError,
  isRefusal,
  MESSAGES as CONSOLE_ERROR_MESSAGES,
  type ConsoleErrorKind,
  type ClerkResource,
} from './errors';
export {
  sessionIdSchema,
  userIdSchema,
  clientIdSchema,
  templateNameSchema,
  classifySearch,
  type SearchTarget,
} from './ids';
export {
  SESSION_STATUSES,
  isSessionStatus,
  type SessionStatus,
  type SessionDto,
  type SessionActivityDto,
  type UserDto,
  type ClientDto,
  type TemplateDto,
} from './dto';
export {
  listSessions,
  getSession,
  revokeSession,
  SESSION_LIST_STATUSES,
  PENDING_SCAN_MAX_PAGES,
  type SessionListStatus,
  type SessionListQuery,
  type SessionPage,
} from './sessions';
export {
  findUsers,
  getUser,
  getClient,
  listRecentlyActiveUsers,
  lookUpUsers,
  type ResolvedUser,
  type UserPage,
} from './users';
export {
  listTemplates,
  createTokenFromTemplate,
  findTemplate,
  tokenLifetimeLimit,
  tokenLifetimeProblem,
  MIN_TOKEN_LIFETIME_SECONDS,
  MAX_TOKEN_LIFETIME_SECONDS,
} from './templates';
export { verifyTokenAgainstJwks, type TokenVerification } from './jwks';
export {
  getAccountState,
  getUserWithAccountState,
  banUser,
  unbanUser,
  banUsers,
  unbanUsers,
  lockUser,
  unlockUser,
  setPasswordCompromised,
  unsetPasswordCompromised,
  disableMfa,
  listTrustedDevices,
  revokeTrustedDevice,
  listApiKeys,
  revokeApiKey,
  toAccountStateDto,
  MAX_BULK_USERS,
  NO_PASSWORD_MESSAGE,
  type AccountStateDto,
  type ApiKeyDto,
  type ApiKeyPage,
  type TrustedDeviceDto,
} from './account';
