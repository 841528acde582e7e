import { describe, expect, it } from 'vitest';
import { followStartAtLoginSetting, type LoginItems } from '../../../main/adapters/login-items';

/** A core reduced to its settings, emitting like the real one does after updateSettings. */
function settingsCore(startAtLogin: boolean) {
  let settings = { startAtLogin };
  const listeners = new Set<(snapshot: { settings: { startAtLogin: boolean } }) => void>();
  return {
    snapshot: () => ({ settings }),
    subscribe(listener: (snapshot: { settings: { startAtLogin: boolean } }) => void) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async updateSettings(patch: { startAtLogin: boolean }) {
      settings = { ...settings, ...patch };
      for (const listener of listeners) listener({ settings });
      return settings;
    },
  };
}

function osLoginItem(enabled: boolean, refuse = false): LoginItems & { enabled: boolean } {
  return {
    enabled,
    isEnabled() {
      return this.enabled;
    },
    setEnabled(value: boolean) {
      if (refuse) throw new Error('denied');
      this.enabled = value;
    },
  };
}

describe('start at login follows the setting', () => {
  it('adopts the real OS state at start, then applies later changes of the setting to the OS', async () => {
    const core = settingsCore(true);
    const os = osLoginItem(false); // the user removed the autostart entry by hand
    let refreshed = 0;
    followStartAtLoginSetting(
      core,
      os,
      () => refreshed++,
      () => {},
    );
    await Promise.resolve();
    expect(core.snapshot().settings.startAtLogin).toBe(false);
    expect(os.enabled).toBe(false);

    await core.updateSettings({ startAtLogin: true }); // from the window or the tray
    expect(os.enabled).toBe(true);
    await core.updateSettings({ startAtLogin: false });
    expect(os.enabled).toBe(false);
    expect(refreshed).toBe(2);
  });

  it('puts the setting back when the OS refuses, so nothing shows a state that is not real', async () => {
    const core = settingsCore(false);
    const os = osLoginItem(false, true);
    const errors: string[] = [];
    followStartAtLoginSetting(
      core,
      os,
      () => {},
      (what) => errors.push(what),
    );
    await core.updateSettings({ startAtLogin: true });
    await Promise.resolve();
    expect(os.enabled).toBe(false);
    expect(core.snapshot().settings.startAtLogin).toBe(false);
    expect(errors).toEqual(['change the login item']);
  });
});
