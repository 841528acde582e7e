// The seams between the Electron-free core and the adapters that talk to Electron and the OS.
// The core depends only on these interfaces; main/main.ts (the composition root) hands it real ones,
// tests hand it fakes or the same real ones under Node.

/** Where the bearer token lives. Implementations: OS keychain (keytar), Electron safeStorage, memory. */
export interface SecretStore {
  /** What actually protects the secret; `memory` means "this run only", which the UI must say plainly. */
  readonly kind: 'keychain' | 'safe-storage' | 'memory';
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<void>;
}

/** One native notification as the core wants it shown. `id` is stable so the core can close it later. */
export interface NotificationRequest {
  id: string;
  title: string;
  body: string;
  /** The claim to open when the user clicks it; absent for summaries and announcements. */
  claimId?: string;
  /** Summary notifications open the queue instead of one claim. */
  opensQueue?: boolean;
}

export interface Notifier {
  /** False where the platform cannot show notifications; the tray then carries everything. */
  isSupported(): boolean;
  show(notification: NotificationRequest): void;
  /** Closes a notification if it is still on screen; a no-op otherwise. */
  close(id: string): void;
}

/** Time, injectable so reminders, quiet hours and backoff are testable with a controllable clock. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // Timers must never keep the process (or a test) alive on their own.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Connection states the tray and the window show. */
export type ConnectionState =
  | { kind: 'signed-out' }
  | { kind: 'connecting' }
  | { kind: 'online' }
  | { kind: 'reconnecting'; nextAttemptAt: number; attempt: number; reason: string }
  | { kind: 'offline'; reason: string }
  | { kind: 'session-expired' }
  | { kind: 'error'; reason: string };

/** Everything the tray needs to draw itself; the tray adapter renders it and knows nothing else. */
export interface TrayModel {
  connection: ConnectionState['kind'];
  pendingCount: number;
  /** Display name of the signed-in user, null when signed out. */
  userName: string | null;
  /** Epoch ms until which notifications are paused; 'indefinite'; or null when not paused. */
  pausedUntil: number | 'indefinite' | null;
  startAtLogin: boolean;
  locale: 'en' | 'zh-CN';
}
