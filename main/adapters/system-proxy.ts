// The platform's proxy for a URL, as the core's ProxyResolver port: Chromium's answer for the default
// session, which covers the OS proxy settings, PAC files (WPAD included) and Chromium's own flags.
// Electron's `net` would use it by itself, but the core's sockets are Node's (`ws`, node:https), so the
// answer (`PROXY host:port; DIRECT`) is handed to the core's routing agent instead.
import type { Session } from 'electron';
import { type ProxyResolver, parsePacAnswer } from '../core/proxy-route';

export function chromiumProxyResolver(session: Pick<Session, 'resolveProxy'>): ProxyResolver {
  return async (url) => parsePacAnswer(await session.resolveProxy(url));
}
