// The ways to pause notifications, by name. The tray menu and the window's pause control send one of
// these names and the core turns it into a time (main/core/pause-presets.ts), so both surfaces mean the
// same thing by the same label. Zod-free so the window can list them at runtime.
export const PAUSE_PRESETS = ['hour', 'morning', 'indefinite'] as const;
export type PausePreset = (typeof PAUSE_PRESETS)[number];

/** A preset, or `resume` to lift whatever pause is active. */
export const PAUSE_COMMANDS = [...PAUSE_PRESETS, 'resume'] as const;
export type PauseCommand = (typeof PAUSE_COMMANDS)[number];

/** The local hour the `morning` preset pauses until; the labels in shared-strings.ts show it too. */
export const MORNING_HOUR = 8;
