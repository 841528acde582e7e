// Why a sign-in can fail, as one list: the core throws these kinds, the IPC contract validates them,
// and the window has a message for each. Lives in main/common/ and is free of zod and Node, so the
// renderer imports it without reaching into the core.
export const SIGN_IN_FAILURES = [
  'invalid-credentials',
  'throttled',
  'unreachable',
  'tls',
  'proxy-auth',
  'incompatible-protocol',
  'insecure-url',
  'invalid-url',
  'server-error',
  /** Company sign-in (single sign-on) did not complete: not finished in the browser, or refused. */
  'sso-failed',
] as const;

export type SignInFailure = (typeof SIGN_IN_FAILURES)[number];
