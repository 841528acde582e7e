// User settings: one JSON file in the user data folder. Every field has a default, so an old or
// partial file still loads; a file that is not JSON or fails validation is set aside (kept for
// support, never silently overwritten) and defaults are used: a bad file must never stop the app.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { SettingsSchema } from '../common/settings-schema';
import { readTextIfExists, writeFileAtomic } from './atomic-file';
import type { Logger, Settings, SettingsPatch } from './ports';

export const SETTINGS_FILE = 'settings.json';

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/**
 * The one way settings change, for sign-in bookkeeping and the window's and tray's updates alike: the
 * patch is laid over the current settings (nested groups field by field, so `{quietHours: {start}}`
 * keeps the rest of quietHours) and the result is validated whole. Throws a ZodError naming the bad field.
 */
export function mergeSettings(current: Settings, patch: SettingsPatch): Settings {
  return SettingsSchema.parse({
    ...current,
    ...patch,
    quietHours: { ...current.quietHours, ...patch.quietHours },
    reminders: { ...current.reminders, ...patch.reminders },
    proxy: { ...current.proxy, ...patch.proxy },
  });
}

export class SettingsFile {
  readonly file: string;

  constructor(
    userDataDir: string,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {
    this.file = path.join(userDataDir, SETTINGS_FILE);
  }

  async load(): Promise<Settings> {
    let text: string | null;
    try {
      text = await readTextIfExists(this.file);
    } catch (error) {
      this.logger.error('settings: cannot read the settings file; using defaults', { error: String(error) });
      return defaultSettings();
    }
    if (text === null) return defaultSettings();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      return this.setAside('not valid JSON');
    }
    const parsed = SettingsSchema.safeParse(json);
    if (!parsed.success) return this.setAside(z.prettifyError(parsed.error));
    return parsed.data;
  }

  save(settings: Settings): Promise<void> {
    return writeFileAtomic(this.file, `${JSON.stringify(settings, null, 2)}\n`);
  }

  private async setAside(problem: string): Promise<Settings> {
    const aside = path.join(path.dirname(this.file), `settings.corrupt-${this.now()}.json`);
    try {
      await fs.rename(this.file, aside);
      this.logger.warn('settings: the settings file was invalid; set it aside and using defaults', {
        problem,
        setAsideAs: aside,
      });
    } catch (error) {
      this.logger.error('settings: invalid settings file could not be set aside; using defaults', {
        problem,
        error: String(error),
      });
    }
    return defaultSettings();
  }
}
