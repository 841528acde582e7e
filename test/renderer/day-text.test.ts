import { describe, expect, it } from 'vitest';
import { parseDay } from '../../renderer/day-text';

describe('parseDay (the out-of-office day fields)', () => {
  it('takes a real calendar day as YYYY-MM-DD, trimmed', () => {
    expect(parseDay('2026-12-09', '2026-12-01')).toBe('2026-12-09');
    expect(parseDay(' 2028-02-29 ', '2026-12-01')).toBe('2028-02-29');
  });

  it('refuses days that do not exist, other formats and days before the start', () => {
    expect(parseDay('2027-02-29', '2026-12-01')).toBeNull();
    expect(parseDay('2026-13-01', '2026-12-01')).toBeNull();
    expect(parseDay('12/09/2026', '2026-12-01')).toBeNull();
    expect(parseDay('2026-12-9', '2026-12-01')).toBeNull();
    expect(parseDay('2026-11-30', '2026-12-01')).toBeNull();
    expect(parseDay('2026-12-01', '2026-12-01')).toBe('2026-12-01');
  });
});
