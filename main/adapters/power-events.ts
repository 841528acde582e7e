// Tells the core when the machine wakes up or the user unlocks it, so it reconnects at once instead
// of waiting out a backoff that started while the lid was shut.
//
// The network coming back is watched separately (network-watch.ts), only while disconnected.
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
