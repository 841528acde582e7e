// Exact decimal amounts typed by an operator ("12.34") into integer minor units, with string and
// BigInt arithmetic only: a float would turn 0.29 into 28.999… fen.
import { minorUnitDigits } from '../../protocol';

export class AmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountError';
  }
}

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "12.34" in CNY → 1234; "1500" in JPY → 1500. Throws AmountError with a reason a person can act on. */
export function parseAmountToMinor(text: string, currency: string): number {
  const trimmed = text.trim();
  const match = DECIMAL.exec(trimmed);
  if (!match) {
    throw new AmountError(
      `"${text}" is not an amount: use digits with an optional decimal point, e.g. 12.34 (no signs, spaces or separators)`,
    );
  }
  const whole = match[1]!;
  const fraction = match[2] ?? '';
  const digits = minorUnitDigits(currency);
  if (fraction.length > digits) {
    throw new AmountError(
      `"${text}" has ${fraction.length} decimal place(s) but ${currency} allows ${digits === 0 ? 'none' : `at most ${digits}`}`,
    );
  }
  const minor = BigInt(whole) * 10n ** BigInt(digits) + BigInt(fraction.padEnd(digits, '0') || '0');
  if (minor <= 0n) throw new AmountError(`"${text}" must be more than zero`);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new AmountError(`"${text}" is too large`);
  return Number(minor);
}

export interface ParsedItem {
  description: string;
  amountMinor: number;
}

/** `--item "Taxi to airport=86.50"`: the amount follows the last `=`, so descriptions may contain one. */
export function parseItem(text: string, currency: string): ParsedItem {
  const at = text.lastIndexOf('=');
  if (at <= 0) throw new AmountError(`--item "${text}" must look like "description=12.34"`);
  const description = text.slice(0, at).trim();
  if (!description) throw new AmountError(`--item "${text}" has no description before "="`);
  return { description, amountMinor: parseAmountToMinor(text.slice(at + 1), currency) };
}
