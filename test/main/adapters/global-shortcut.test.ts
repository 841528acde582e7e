// The global shortcut following its setting through a real core and Electron's globalShortcut (the
// fake, typed from electron.d.ts): registered at the saved value, moved when the setting changes,
// released when turned off, and a shortcut another app holds reported once, not silently dropped.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GlobalShortcutFollower } from '../../../main/adapters/global-shortcut';
import { DEFAULT_GLOBAL_SHORTCUT } from '../../../main/common/accelerator';
import { makeCore, type TestCore } from '../../support/core-harness';
import { fake, globalShortcut, resetFakeElectron } from '../../support/fake-electron';

let handle: TestCore;
beforeEach(async () => {
  resetFakeElectron();
  handle = await makeCore();
});
afterEach(async () => handle.dispose());

function follow() {
  const pressed: number[] = [];
  const refused: string[] = [];
  const follower = new GlobalShortcutFollower({
    registrar: globalShortcut,
    onPressed: () => pressed.push(1),
    onRefused: (accelerator) => refused.push(accelerator),
  });
  follower.follow(handle.core.snapshot().settings.globalShortcut);
  handle.core.subscribe((snapshot) => follower.follow(snapshot.settings.globalShortcut));
  return { follower, pressed, refused };
}

describe('global shortcut', () => {
  it('opens on the default shortcut, moves with the setting, and is released when turned off', async () => {
    const { follower, pressed, refused } = follow();
    expect(globalShortcut.isRegistered(DEFAULT_GLOBAL_SHORTCUT)).toBe(true);
    globalShortcut.press(DEFAULT_GLOBAL_SHORTCUT);
    expect(pressed).toHaveLength(1);

    await handle.core.updateSettings({ globalShortcut: 'Ctrl+Alt+A' });
    expect(globalShortcut.isRegistered(DEFAULT_GLOBAL_SHORTCUT)).toBe(false);
    expect(globalShortcut.isRegistered('Ctrl+Alt+A')).toBe(true);
    globalShortcut.press(DEFAULT_GLOBAL_SHORTCUT);
    globalShortcut.press('Ctrl+Alt+A');
    expect(pressed).toHaveLength(2);

    await handle.core.updateSettings({ globalShortcut: null });
    expect(globalShortcut.isRegistered('Ctrl+Alt+A')).toBe(false);
    expect(follower.isRegistered).toBe(false);
    expect(refused).toEqual([]);
  });

  it('a shortcut another app holds is reported once; the next free one works', async () => {
    fake.takenShortcuts = ['Ctrl+Alt+T'];
    const { follower, refused } = follow();
    await handle.core.updateSettings({ globalShortcut: 'Ctrl+Alt+T' });
    await handle.core.updateSettings({ notificationActions: false }); // another change: no second report
    expect(refused).toEqual(['Ctrl+Alt+T']);
    expect(follower.isRegistered).toBe(false);
    await handle.core.updateSettings({ globalShortcut: 'Ctrl+Alt+Y' });
    expect(follower.isRegistered).toBe(true);
    expect(refused).toEqual(['Ctrl+Alt+T']);
  });

  it('the setting refuses a shortcut Electron would not take', async () => {
    await expect(handle.core.updateSettings({ globalShortcut: 'A' })).rejects.toThrow();
    expect(handle.core.snapshot().settings.globalShortcut).toBe(DEFAULT_GLOBAL_SHORTCUT);
  });
});
