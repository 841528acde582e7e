// Tells the core when the machine wakes up or the user unlocks it, so it reconnects at once instead
// of waiting out a backoff that started while the lid was shut.
//
// There is no network online/offline event here on purpose: Electron's main process has none
// (`net.isOnline()` can only be polled, and `navigator.onLine` events live in renderers, which a
// tray-only run does not have). Polling would wake the CPU for little gain: the core's own reconnect
// with backoff already notices a dead or returning network, and resume/unlock cover the common
// "laptop back on the desk" case.
import type { DesktopCore } from '../core/ports';

type PowerEvent = 'resume' | 'unlock-screen';
/** Electron's powerMonitor fits this (main.ts passes it); so does a plain EventEmitter in tests. */
interface PowerEvents {
  on(event: PowerEvent, listener: () => void): unknown;
  removeListener(event: PowerEvent, listener: () => void): unknown;
}

/** Returns a function that unhooks the listeners again. */
export function forwardPowerEvents(powerMonitor: PowerEvents, core: Pick<DesktopCore, 'wake'>): () => void {
  const onResume = () => core.wake('resume');
  const onUnlock = () => core.wake('unlock');
  powerMonitor.on('resume', onResume);
  powerMonitor.on('unlock-screen', onUnlock);
  return () => {
    powerMonitor.removeListener('resume', onResume);
    powerMonitor.removeListener('unlock-screen', onUnlock);
  };
}
