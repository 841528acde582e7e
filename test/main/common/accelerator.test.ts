// Which global shortcuts the settings accept: Electron accelerators with a modifier other than Shift
// and exactly one key.
import { describe, expect, it } from 'vitest';
import { DEFAULT_GLOBAL_SHORTCUT, isGlobalShortcut } from '../../../main/common/accelerator';
import { SettingsPatchSchema, SettingsSchema } from '../../../main/common/settings-schema';

describe('isGlobalShortcut', () => {
  it.each([
    DEFAULT_GLOBAL_SHORTCUT,
    'CmdOrCtrl+Shift+A',
    'Ctrl+Alt+F12',
    'Super+Space',
    'alt+shift+s',
    'Control+Alt+Plus',
    'Command+Option+/',
  ])('accepts %s', (accelerator) => {
    expect(isGlobalShortcut(accelerator)).toBe(true);
  });

  it.each([
    ['no modifier', 'S'],
    ['only Shift', 'Shift+A'],
    ['no key', 'Ctrl+Alt'],
    ['two keys', 'Ctrl+A+B'],
    ['an unknown modifier', 'Hyper+A'],
    ['an unknown key', 'Ctrl+Foo'],
    ['a repeated modifier', 'Ctrl+Ctrl+A'],
    ['empty', ''],
    ['too long', `${'Ctrl+'.repeat(20)}A`],
    ['F25', 'Ctrl+F25'],
  ])('refuses %s', (_why, accelerator) => {
    expect(isGlobalShortcut(accelerator)).toBe(false);
  });

  it('is the rule of the stored setting: default on, null turns it off, nonsense is refused', () => {
    expect(SettingsSchema.parse({}).globalShortcut).toBe(DEFAULT_GLOBAL_SHORTCUT);
    expect(SettingsPatchSchema.parse({ globalShortcut: null })).toEqual({ globalShortcut: null });
    expect(SettingsPatchSchema.safeParse({ globalShortcut: 'Shift+A' }).success).toBe(false);
  });
});
