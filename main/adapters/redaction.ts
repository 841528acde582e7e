// What must never reach the log file or the diagnostics a user pastes into a support ticket: bearer
// tokens, passwords, Authorization and Cookie headers, API keys. Applied to structured fields by key
// and to free text by pattern, before anything is written. Over-redacting a harmless value is fine;
// a leaked token is not.

export const REDACTED = '[redacted]';

/** Field names whose values are secret whatever they look like (matched case-insensitively, anywhere). */
const SECRET_WORD = `(?:token|passw(?:or)?d|pwd|secret|authori[sz]ation|cookie|api[-_]?key|credential|private[-_]?key)`;
const SECRET_KEY = new RegExp(SECRET_WORD, 'i');

const TEXT_RULES: ReadonlyArray<[RegExp, string]> = [
  // key=value, key: value, "key":"value" (query strings, headers, JSON, log prose), with an optional
  // auth scheme so "Authorization: Bearer abc" loses the whole credential.
  [
    new RegExp(
      String.raw`([\w-]*${SECRET_WORD}[\w-]*)(["']?\s*[:=]\s*["']?)(?!\[redacted\])(?:(?:Bearer|Basic|Digest)\s+)?[^\s"'&,;}\]]+`,
      'gi',
    ),
    `$1$2${REDACTED}`,
  ],
  // A bearer or basic credential on its own ("… sent Bearer abc…").
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  // JWTs, wherever they appear.
  [/\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]*/g, REDACTED],
  // user:password@ in URLs.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]*:)[^\s/@]+@/gi, `$1${REDACTED}@`],
];

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

export function redactText(text: string): string {
  let out = text;
  for (const [pattern, replacement] of TEXT_RULES) out = out.replace(pattern, replacement);
  return out;
}

const MAX_DEPTH = 6;

/**
 * A copy of `value` safe to log: secret-named keys replaced, strings scrubbed, Errors reduced to their
 * (scrubbed) name and message, cycles and very deep nesting cut. Never mutates the original.
 */
export function redactValue(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object') {
    return typeof value === 'bigint' ? String(value) : value;
  }
  if (seen.has(value)) return '[circular]';
  if (depth >= MAX_DEPTH) return '[nested]';
  seen.add(value);
  if (value instanceof Error) return `${value.name}: ${redactText(value.message)}`;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : redactValue(item, depth + 1, seen);
  }
  return out;
}
