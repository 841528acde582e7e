// Text from the server (claim titles, people's names, reasons) made inert before it reaches a surface
// that may interpret it. Lives in main/common so the window may use it too.
//
// - Bidi controls (U+202A–202E embeddings/overrides, U+2066–2069 isolates, U+200E/200F/061C marks) are
//   removed: a right-to-left override makes "Invoice\u202Efdp.exe" read as "Invoiceexe.pdf".
// - C0/C1 controls and DEL are removed (BEL, ESC sequences…); line breaks and tabs become one space,
//   and runs of spaces collapse: every field here is one line.
// - Lengths are capped by code points, with an ellipsis, so a surrogate pair is never split.
// - Markup, per sink: the window renders text as text (inertLine). OS surfaces may parse it: Linux
//   notification servers with "body-markup" read bodies as Pango/HTML-ish markup (<b>, <a>, <img>,
//   entities like &#8238; that decode to a bidi override), and KDE's tray tooltips accept rich text.
//   Escaping (&lt;) would show literally wherever markup is not parsed (Windows, macOS, many Linux
//   servers), so inertOsText replaces < > & with look-alikes (‹ › ＆) that read the same everywhere
//   and can form no tag or entity.

/** Notification titles and bodies as the core hands them to the Notifier. */
export const NOTIFICATION_TITLE_MAX = 120;
export const NOTIFICATION_BODY_MAX = 300;

const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** Line breaks and tabs (C0, NEL, the Unicode line/paragraph separators): word boundaries, kept as a space. */
const BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** Unicode category Cc: exactly C0 (U+0000–001F), DEL and C1 (U+007F–009F). */
const CONTROLS = /\p{Cc}/gu;
const SPACE_RUNS = / {2,}/g;
const MARKUP_LOOK_ALIKES: Record<string, string> = { '<': '\u2039', '>': '\u203A', '&': '\uFF06' };

/** One plain line: no bidi or control characters, single spaces, at most `maxLength` code points. */
export function inertLine(text: string, maxLength: number): string {
  const plain = text
    .replace(BIDI_CONTROLS, '')
    .replace(BREAKS, ' ')
    .replace(CONTROLS, '')
    .replace(SPACE_RUNS, ' ')
    .trim();
  return capLength(plain, maxLength);
}

/** inertLine for OS surfaces that may read markup (notifications, tray tooltips): < > & become look-alikes. */
export function inertOsText(text: string, maxLength: number): string {
  return inertLine(
    text.replace(/[<>&]/g, (c) => MARKUP_LOOK_ALIKES[c] ?? c),
    maxLength,
  );
}

function capLength(text: string, maxLength: number): string {
  // Cheap exit: UTF-16 length is an upper bound on the code-point count.
  if (text.length <= maxLength) return text;
  const codePoints = Array.from(text);
  if (codePoints.length <= maxLength) return text;
  return `${codePoints
    .slice(0, Math.max(0, maxLength - 1))
    .join('')
    .trimEnd()}…`;
}
