// `./demo` starts the app against a local reference backend and wants it signed in to the demo
// organisation without typing. It says so through SIGNOFF_DEMO_SIGN_IN="<server url> <user>", or
// "<server url> --sso" for company sign-in (`./demo --sso`: the system browser opens the development
// identity provider's login page). Only a loopback server is accepted: the demo password must never
// travel to a real backend.

export type DemoSignIn =
  | { serverUrl: string; username: string; password: string; sso?: undefined }
  | { serverUrl: string; sso: true };

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Parses the variable; null when unset or when it names anything but a loopback http(s) server. */
export function demoSignInFrom(env: Record<string, string | undefined>): DemoSignIn | null {
  const raw = env.SIGNOFF_DEMO_SIGN_IN?.trim();
  if (!raw) return null;
  const [serverUrl, username, ...rest] = raw.split(/\s+/);
  if (!serverUrl || !username || rest.length > 0) return null;
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    return null;
  }
  if (!['http:', 'https:'].includes(url.protocol) || !LOOPBACK_HOSTS.has(url.hostname)) return null;
  if (username === '--sso') return { serverUrl: url.origin, sso: true };
  return { serverUrl: url.origin, username, password: 'demo' };
}
