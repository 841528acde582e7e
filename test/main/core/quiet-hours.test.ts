// Quiet hours in local time, including windows that wrap midnight.
import { describe, expect, test } from 'vitest';
import { isInQuietHours, quietHoursEnd } from '../../../main/core/quiet-hours';

describe('quiet hours (local time)', () => {
  const at = (h: number, m = 0) => new Date(2026, 2, 10, h, m).getTime();
  const night = { enabled: true, start: '22:00', end: '07:30' };

  test('wrapping midnight', () => {
    expect(isInQuietHours(night, at(21, 59))).toBe(false);
    expect(isInQuietHours(night, at(22, 0))).toBe(true);
    expect(isInQuietHours(night, at(3, 0))).toBe(true);
    expect(isInQuietHours(night, at(7, 30))).toBe(false);
    expect(quietHoursEnd(night, at(23, 0))).toBe(new Date(2026, 2, 11, 7, 30).getTime());
    expect(quietHoursEnd(night, at(3, 0))).toBe(at(7, 30));
    expect(quietHoursEnd(night, at(12, 0))).toBe(at(12, 0));
  });

  test('same-day window, disabled and empty windows', () => {
    const lunch = { enabled: true, start: '12:00', end: '13:00' };
    expect(isInQuietHours(lunch, at(12, 30))).toBe(true);
    expect(isInQuietHours(lunch, at(13, 0))).toBe(false);
    expect(isInQuietHours({ ...lunch, enabled: false }, at(12, 30))).toBe(false);
    expect(isInQuietHours({ enabled: true, start: '09:00', end: '09:00' }, at(9, 0))).toBe(false);
  });
});
