// What counts as English (or a bug) in text a zh-CN user sees, for the i18n completeness tests: the
// browser walk (test/renderer/i18n-completeness.test.ts) and the catalog unit test share it, so the
// allowlist is reviewed in one place. Plain functions, no browser.

/**
 * Runs of Latin letters a zh-CN window may show, each with why. Keep it short: every entry is a way for
 * untranslated text to slip through.
 */
export const ALLOWED_WORDS: Readonly<Record<string, string>> = {
  Signoff: 'the product name, a proper noun (also in the zh-CN notifications and tray)',
  TLS: 'the protocol named in the certificate-failure message; Chinese IT writing keeps it in Latin',
  Enter: 'a key cap named in the keyboard hint; Chinese keyboards print it in Latin',
  Esc: 'a key cap named in the keyboard hint; Chinese keyboards print it in Latin',
  English: 'the language menu names each language in itself, so an English reader can find theirs',
  PDF: 'the file format of a receipt; Chinese writing keeps it in Latin (PDF 文件, PDF 阅读器)',
  KB: 'the unit symbol of a file size; Chinese writing keeps it in Latin',
  MB: 'the unit symbol of a file size; Chinese writing keeps it in Latin',
};

/** Server data and identifiers, not UI words: removed before the text is searched for Latin runs. */
const ALLOWED_PATTERNS: readonly { pattern: RegExp; why: string }[] = [
  {
    // The address the user signed in to, and the scheme in the sign-in hints (https://, http://).
    pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s，。；：（）()]*/gi,
    why: 'URLs and host names: addresses are typed and shown as they are',
  },
  { pattern: /\bEXP-\d+\b/g, why: 'claim ids: the server’s identifiers, the same in every language' },
  {
    pattern: /\b(?:[A-Za-z]+\+)+[A-Za-z0-9/]+\b/g,
    why: 'keyboard shortcuts in Electron’s accelerator syntax (CommandOrControl+Alt+S): typed as they are',
  },
];

/** ISO 4217 codes: money in a currency that is not the reader's is shown with its code (JPY 84,511). */
const CURRENCY_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

export interface Finding {
  kind: 'latin' | 'catalog-key' | '12-hour';
  match: string;
  /** The surrounding text, to find where it came from. */
  context: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function contextOf(text: string, at: number, length: number): string {
  return text.slice(Math.max(0, at - 24), at + length + 24).replace(/\s+/g, ' ');
}

/**
 * Everything in `parts` (visible text, tooltips, placeholders…) that should not be there in zh-CN:
 * runs of 2+ Latin letters not allowlisted, raw catalog keys (camelCase or a known key name), and
 * 12-hour clock times. `people` are names as the server spells them (server data, not UI text);
 * `catalogKeys` are the Catalog's property names.
 */
export function findLeaks(
  parts: readonly string[],
  options: { people: readonly string[]; catalogKeys: readonly string[] },
): Finding[] {
  const findings: Finding[] = [];
  const keys = new Set(options.catalogKeys);
  // Longest first, so "Alice Zhang" goes before a name it contains.
  const people = [...options.people].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const peoplePattern = people.length > 0 ? new RegExp(people.join('|'), 'g') : null;
  for (const part of parts) {
    for (const match of part.matchAll(/\b(?:AM|PM)\b|\b[ap]\.m\.|上午|下午|凌晨|中午|晚上/gi)) {
      findings.push({
        kind: '12-hour',
        match: match[0],
        context: contextOf(part, match.index, match[0].length),
      });
    }
    for (const match of part.matchAll(/\b[a-z]+(?:[A-Z][a-z0-9]*)+\b/g)) {
      findings.push({
        kind: 'catalog-key',
        match: match[0],
        context: contextOf(part, match.index, match[0].length),
      });
    }
    // Blank out (same length, so contexts stay right) what is allowed, then look for Latin runs.
    let rest = part;
    for (const { pattern } of ALLOWED_PATTERNS) rest = rest.replace(pattern, (m) => ' '.repeat(m.length));
    if (peoplePattern) rest = rest.replace(peoplePattern, (m) => ' '.repeat(m.length));
    for (const match of rest.matchAll(/[A-Za-z]{2,}/g)) {
      const word = match[0];
      if (keys.has(word)) {
        findings.push({
          kind: 'catalog-key',
          match: word,
          context: contextOf(part, match.index, word.length),
        });
      } else if (!(word in ALLOWED_WORDS) && !CURRENCY_CODES.has(word)) {
        findings.push({ kind: 'latin', match: word, context: contextOf(part, match.index, word.length) });
      }
    }
  }
  return findings;
}
