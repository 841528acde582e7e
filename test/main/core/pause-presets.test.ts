// Pause presets: one name → one time, computed in the core for the tray and the window alike.
import { describe, expect, it } from 'vitest';
import { MORNING_HOUR, PAUSE_COMMANDS } from '../../../main/common/pause-presets';
import { nextLocalTime, pausedUntilFor } from '../../../main/core/pause-presets';
import { ManualClock } from '../../support/core-fakes';
import { makeCore } from '../../support/core-harness';

const HOUR = 60 * 60 * 1000;
const ONE_AM = new Date(2026, 4, 12, 1, 0).getTime(); // local time
const AFTERNOON = new Date(2026, 4, 12, 14, 30).getTime();

describe('nextLocalTime', () => {
  it('is the next `hour`:00: today when still ahead, otherwise tomorrow', () => {
    expect(nextLocalTime(new Date(2026, 0, 31, 23, 0).getTime(), 8)).toBe(
      new Date(2026, 1, 1, 8, 0).getTime(),
    );
    expect(nextLocalTime(new Date(2026, 0, 31, 6, 0).getTime(), 8)).toBe(
      new Date(2026, 0, 31, 8, 0).getTime(),
    );
  });
});

describe('pausedUntilFor', () => {
  it('turns each preset name into the pausedUntil setting', () => {
    expect(pausedUntilFor('hour', AFTERNOON)).toBe(AFTERNOON + HOUR);
    expect(pausedUntilFor('morning', AFTERNOON)).toBe(new Date(2026, 4, 13, MORNING_HOUR, 0).getTime());
    expect(pausedUntilFor('indefinite', AFTERNOON)).toBe('indefinite');
    expect(pausedUntilFor('resume', AFTERNOON)).toBeNull();
  });

  it('at 01:00, "morning" is 08:00 the same day (7 h), not the day after (31 h)', () => {
    const until = pausedUntilFor('morning', ONE_AM);
    expect(until).toBe(new Date(2026, 4, 12, MORNING_HOUR, 0).getTime());
    expect(until).toBe(ONE_AM + 7 * HOUR);
  });
});

describe('DesktopCore.pauseNotifications', () => {
  it('applies every command by name with the core clock, and persists it', async () => {
    const clock = new ManualClock(ONE_AM);
    const handle = await makeCore({ clock });
    try {
      for (const preset of PAUSE_COMMANDS) {
        const settings = await handle.core.pauseNotifications(preset);
        expect(settings.pausedUntil).toEqual(pausedUntilFor(preset, ONE_AM));
        expect(handle.core.snapshot().settings.pausedUntil).toEqual(settings.pausedUntil);
      }
      await handle.core.pauseNotifications('morning');
      await handle.restart();
      expect(handle.core.snapshot().settings.pausedUntil).toBe(ONE_AM + 7 * HOUR);
    } finally {
      await handle.dispose();
    }
  });
});
