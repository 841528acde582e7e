// Writing and reading the Linux XDG autostart entry (Desktop Entry Specification). The Exec line
// has two layers of escaping, and getting either wrong breaks start-at-login only for users whose
// install path has a space or a quote in it, so both layers live here, tested with desktop-file-validate.

/** Characters that force an Exec argument into double quotes (spec: "Exec key", reserved characters). */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * Quotes one Exec argument. Inside double quotes the spec requires `"`, `` ` ``, `$` and `\` to be
 * backslash-escaped; `%` is a field code everywhere, so it is doubled.
 */
export function quoteExecArgument(argument: string): string {
  if (/[\p{Cc}]/u.test(argument)) throw new Error('Exec arguments cannot contain control characters');
  const withPercent = argument.replaceAll('%', '%%');
  if (withPercent !== '' && !RESERVED.test(withPercent)) return withPercent;
  return `"${withPercent.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/**
 * The Exec value as written in the file. Exec is a "string" value, whose own escape rule (`\\` for a
 * backslash) applies on top of the quoting, hence a literal backslash in a quoted path becomes four.
 */
export function execValueOf(command: readonly string[]): string {
  return command.map(quoteExecArgument).join(' ').replaceAll('\\', '\\\\');
}

/** Escapes a free-text string value (Name, Comment): backslash and line breaks. */
function escapeStringValue(value: string): string {
  return value
    .replaceAll('\\', '\\\\')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
}

export interface AutostartEntry {
  name: string;
  comment: string;
  /** Program and arguments, unquoted; quoting is applied when written. */
  command: readonly string[];
}

export function renderAutostartEntry(entry: AutostartEntry): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    // 1.4: the newest version desktop-file-utils 0.26 (Debian 12) accepts; nothing here needs 1.5.
    'Version=1.4',
    `Name=${escapeStringValue(entry.name)}`,
    `Comment=${escapeStringValue(entry.comment)}`,
    `Exec=${execValueOf(entry.command)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/** Reads the keys of the `[Desktop Entry]` group (other groups, comments and blank lines are skipped). */
export function parseDesktopEntryGroup(text: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inMainGroup = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      inMainGroup = line === '[Desktop Entry]';
      continue;
    }
    if (!inMainGroup) continue;
    const equals = line.indexOf('=');
    if (equals <= 0) continue;
    keys.set(line.slice(0, equals).trim(), line.slice(equals + 1).trim());
  }
  return keys;
}

/**
 * Whether an autostart entry will actually start the app: the user (or a settings app) can leave the
 * file in place but switch it off with `Hidden=true` or `X-GNOME-Autostart-enabled=false`.
 */
export function isAutostartEntryActive(text: string): boolean {
  const keys = parseDesktopEntryGroup(text);
  if (!keys.has('Exec')) return false;
  if (keys.get('Hidden') === 'true') return false;
  if (keys.get('X-GNOME-Autostart-enabled') === 'false') return false;
  return true;
}
