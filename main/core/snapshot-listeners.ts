// Who hears about snapshot changes (the tray, the window over IPC). A listener that throws is
// logged and the others still hear: one broken view must not freeze the rest of the app.
import type { CoreSnapshot, Logger } from './ports';

export type SnapshotListener = (snapshot: CoreSnapshot) => void;

export class SnapshotListeners {
  private readonly listeners = new Set<SnapshotListener>();

  constructor(private readonly logger: Logger) {}

  /** Returns the unsubscribe function. */
  add(listener: SnapshotListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `snapshot` is only built when someone listens. */
  notify(snapshot: () => CoreSnapshot): void {
    if (this.listeners.size === 0) return;
    const current = snapshot();
    for (const listener of this.listeners) {
      try {
        listener(current);
      } catch (error) {
        this.logger.error('core: a snapshot listener threw', { error: String(error) });
      }
    }
  }
}
