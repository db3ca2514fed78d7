/** The embedded API's documented default key: public by design, so it only ever works against loopback. */
export const DEFAULT_LOCAL_CLERK_SECRET_KEY = 'sk_test_localclerk_0000000000000000000000000000';
