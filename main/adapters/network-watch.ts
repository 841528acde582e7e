// Tells the core when the network goes away or comes back, so a returning network gets an immediate
// reconnect instead of waiting out up to 30 s of backoff.
//
// Electron's main process has no online/offline event (`net.isOnline()` can only be asked, and
// `navigator.onLine` events live in renderers, which a tray-only run does not have). So we ask, but
// only while the connection is down: an online app runs no timer for this at all.
import type { ConnectionState, DesktopCore } from '../core/ports';

/** States in which the link is down and a returning network is worth noticing. */
const DISCONNECTED: ReadonlySet<ConnectionState['kind']> = new Set(['reconnecting', 'offline', 'connecting']);

export const NETWORK_POLL_MS = 2_000;

export function watchNetworkWhileDisconnected(
  core: Pick<DesktopCore, 'snapshot' | 'subscribe' | 'wake' | 'networkLost'>,
  isOnline: () => boolean,
  pollMs = NETWORK_POLL_MS,
): () => void {
  let timer: NodeJS.Timeout | null = null;
  let wasOnline = isOnline();

  const check = () => {
    const online = isOnline();
    if (online === wasOnline) return;
    wasOnline = online;
    if (online) core.wake('online');
    else core.networkLost();
  };
  const follow = (kind: ConnectionState['kind']) => {
    if (DISCONNECTED.has(kind) && timer === null) {
      wasOnline = isOnline();
      timer = setInterval(check, pollMs);
      timer.unref();
    } else if (!DISCONNECTED.has(kind) && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };

  follow(core.snapshot().connection.kind);
  const unsubscribe = core.subscribe((snapshot) => follow(snapshot.connection.kind));
  return () => {
    unsubscribe();
    if (timer !== null) clearInterval(timer);
    timer = null;
  };
}
