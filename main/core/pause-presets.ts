// Turns a pause preset name into the `pausedUntil` setting, at one place, so the tray menu and the
// window's pause control (which both send just the name) can never disagree about what a label means.
import { MORNING_HOUR, type PauseCommand } from '../common/pause-presets';
import type { Settings } from './ports';

const ONE_HOUR_MS = 60 * 60 * 1000;

export function pausedUntilFor(preset: PauseCommand, now: number): Settings['pausedUntil'] {
  switch (preset) {
    case 'hour':
      return now + ONE_HOUR_MS;
    // The NEXT 08:00, not "tomorrow at 08:00": someone pausing at 01:00 means "until I'm up", so the
    // pause ends at 08:00 the same day (7 h), not 31 h later. Before 08:00 and after it, the label
    // "until morning (08:00)" then means the morning they will wake up to.
    case 'morning':
      return nextLocalTime(now, MORNING_HOUR);
    case 'indefinite':
      return 'indefinite';
    case 'resume':
      return null;
  }
}

/** The next moment it is `hour`:00 local time: later today if still ahead, otherwise tomorrow. */
export function nextLocalTime(now: number, hour: number): number {
  const target = new Date(now);
  target.setHours(hour, 0, 0, 0);
  if (target.getTime() <= now) target.setDate(target.getDate() + 1);
  return target.getTime();
}
