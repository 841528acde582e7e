// User settings: one JSON file in the user data folder. Every field has a default, so an old or
// partial file still loads; a file that is not JSON or fails validation is set aside (kept for
// support, never silently overwritten) and defaults are used: a bad file must never stop the app.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from './atomic-file';
import type { Logger, Settings } from './ports';

export const SETTINGS_FILE = 'settings.json';

const ClockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (24-hour)');

export const SettingsSchema = z.object({
  serverUrl: z.url().nullable().default(null),
  username: z.string().min(1).max(64).nullable().default(null),
  notificationsEnabled: z.boolean().default(true),
  pausedUntil: z
    .union([z.number().int().nonnegative(), z.literal('indefinite')])
    .nullable()
    .default(null),
  quietHours: z
    .object({
      enabled: z.boolean().default(false),
      start: ClockTime.default('22:00'),
      end: ClockTime.default('08:00'),
    })
    .default({ enabled: false, start: '22:00', end: '08:00' }),
  reminders: z
    .object({
      enabled: z.boolean().default(true),
      afterHours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(24),
    })
    .default({ enabled: true, afterHours: 24 }),
  startAtLogin: z.boolean().default(false),
  locale: z.enum(['en', 'zh-CN']).nullable().default(null),
  allowInsecureServer: z.boolean().default(false),
  extraCaFile: z.string().min(1).nullable().default(null),
}) satisfies z.ZodType<Settings, unknown>;

export function defaultSettings(): Settings {
  return SettingsSchema.parse({});
}

/** Validates a patch applied to the current settings; throws a ZodError naming the bad field. */
export function mergeSettings(current: Settings, patch: Partial<Settings>): Settings {
  return SettingsSchema.parse({
    ...current,
    ...patch,
    quietHours: { ...current.quietHours, ...patch.quietHours },
    reminders: { ...current.reminders, ...patch.reminders },
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
