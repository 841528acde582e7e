// Issue 10 item 6: text from the server (claim titles, names, reasons) is inert by the time it reaches
// an OS surface: no bidi overrides, no control characters, no markup, bounded length.
import { describe, expect, test } from 'vitest';
import {
  inertLine,
  inertOsText,
  NOTIFICATION_BODY_MAX,
  NOTIFICATION_TITLE_MAX,
} from '../../../main/common/inert-text';

describe('inertLine: one plain line', () => {
  test.each([
    ['plain text stays', 'Team lunch with client', 'Team lunch with client'],
    ['CJK and emoji stay', '差旅报销 ✈️ 北京', '差旅报销 ✈️ 北京'],
    ['right-to-left override', 'Invoice\u202Efdp.exe', 'Invoicefdp.exe'],
    ['every bidi embedding and override', '\u202Aa\u202Bb\u202Cc\u202Dd\u202Ee', 'abcde'],
    ['bidi isolates and marks', '\u2066x\u2069 \u2067y\u2068 \u200Fz\u200E\u061C', 'x y z'],
    ['BEL and ESC sequences', 'Taxi\u0007\u001b[31m red', 'Taxi[31m red'],
    ['NUL, DEL and C1 controls', 'a\u0000b\u007fc\u009bd\u0080e', 'abcde'],
    [
      'line breaks and tabs become one space',
      'one\r\ntwo\tthree\nfour\u2028five\u0085six',
      'one two three four five six',
    ],
    ['runs of spaces collapse, ends trimmed', '   a    b  ', 'a b'],
    ['markup is left to the sink', '<b>x</b> & y', '<b>x</b> & y'],
    ['nothing left', '\u202E\u0007 \n', ''],
  ])('%s', (_what, input, expected) => {
    expect(inertLine(input, 200)).toBe(expected);
  });

  test('capped by code points with an ellipsis, never splitting a surrogate pair', () => {
    expect(inertLine('x'.repeat(200), 120)).toBe(`${'x'.repeat(119)}…`);
    expect(inertLine('x'.repeat(120), 120)).toBe('x'.repeat(120));
    const capped = inertLine('😀'.repeat(130), 120);
    expect(Array.from(capped)).toHaveLength(120);
    expect(capped).toBe(`${'😀'.repeat(119)}…`);
    // Hidden characters do not count against the cap.
    expect(inertLine(`${'\u202E'.repeat(500)}short`, 10)).toBe('short');
  });
});

describe('inertOsText: also no markup, for notifications and the tray', () => {
  test.each([
    [
      'tags cannot form',
      '<b>URGENT</b> <a href="http://x">pay</a>',
      '‹b›URGENT‹/b› ‹a href="http://x"›pay‹/a›',
    ],
    [
      'entities cannot decode (no smuggled U+202E)',
      'R&D &#8238;gnp.exe &amp;',
      'R＆D ＆#8238;gnp.exe ＆amp;',
    ],
    ['img cannot load', '<img src="http://evil/x.png">', '‹img src="http://evil/x.png"›'],
    ['all at once', '\u202E<i>\u0007Hi\u001b</i>\n&', '‹i›Hi‹/i› ＆'],
  ])('%s', (_what, input, expected) => {
    expect(inertOsText(input, 300)).toBe(expected);
  });

  test('the limits the core applies to notifications', () => {
    expect(NOTIFICATION_TITLE_MAX).toBe(120);
    expect(NOTIFICATION_BODY_MAX).toBe(300);
  });
});
