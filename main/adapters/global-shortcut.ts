// The global shortcut that opens the queue from anywhere (issue 13), following the setting: the old
// accelerator is released and the new one registered whenever it changes; null means none. When the
// OS refuses one (another app holds it; some Wayland sessions refuse all), the user is told, once per
// accelerator, instead of the shortcut silently doing nothing.
import type { GlobalShortcut } from 'electron';
import type { Logger } from '../core/ports';
import type { NavigateTarget } from '../ipc/contract';

/** Where the shortcut takes the user: the queue window, its first claim selected and focused. */
export const SHORTCUT_TARGET: NavigateTarget = { view: 'queue', focus: 'first' };

export interface GlobalShortcutFollowerOptions {
  registrar: Pick<GlobalShortcut, 'register' | 'unregister'>;
  onPressed: () => void;
  /** The OS refused `accelerator`; the user should hear it and pick another. */
  onRefused: (accelerator: string) => void;
  logger?: Logger;
}

export class GlobalShortcutFollower {
  private current: string | null = null;
  private registered = false;

  constructor(private readonly options: GlobalShortcutFollowerOptions) {}

  /** Makes `accelerator` (or none) the registered shortcut; a no-op when it is already the one tried. */
  follow(accelerator: string | null): void {
    if (accelerator === this.current) return;
    this.release();
    this.current = accelerator;
    if (accelerator === null) return;
    try {
      this.registered = this.options.registrar.register(accelerator, this.options.onPressed);
    } catch (error) {
      // Electron throws on an accelerator it cannot parse; the settings schema should prevent that.
      this.options.logger?.warn('global shortcut: refused', { accelerator, error: String(error) });
      this.registered = false;
    }
    if (!this.registered) this.options.onRefused(accelerator);
  }

  /** Whether the current shortcut is registered (diagnostics, tests). */
  get isRegistered(): boolean {
    return this.registered;
  }

  release(): void {
    if (this.current !== null && this.registered) this.options.registrar.unregister(this.current);
    this.registered = false;
    this.current = null;
  }
}
