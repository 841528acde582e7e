// Holds "open this claim / the queue" requests from main (notification clicks, tray) from the moment
// the page starts. Main sends a pending request as soon as the page has loaded, which can be before
// the app's effects have subscribed; subscribing here, at start-up, means none is lost.
import type { NavigateTarget, SignoffBridge } from './bridge-types';

export interface NavigationInbox {
  /** Delivers the request that arrived before this call (if any), then every later one. */
  subscribe(listener: (target: NavigateTarget) => void): () => void;
}

export function createNavigationInbox(bridge: SignoffBridge): NavigationInbox {
  let pending: NavigateTarget | null = null;
  const listeners = new Set<(target: NavigateTarget) => void>();
  bridge.onNavigate((target) => {
    if (listeners.size === 0) pending = target;
    for (const listener of listeners) listener(target);
  });
  return {
    subscribe(listener) {
      listeners.add(listener);
      if (pending) {
        const target = pending;
        pending = null;
        listener(target);
      }
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
