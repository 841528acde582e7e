// Amounts typed by an operator ("12.34") into integer minor units (protocol/decimal-amount.ts), worded
// for the command line.
import { parseDecimalAmount } from '../../protocol/decimal-amount';

export class AmountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AmountError';
  }
}

/** "12.34" in CNY → 1234; "1500" in JPY → 1500. Throws AmountError with a reason a person can act on. */
export function parseAmountToMinor(text: string, currency: string): number {
  const parsed = parseDecimalAmount(text, currency);
  if (parsed.ok) return parsed.minor;
  switch (parsed.failure) {
    case 'not-a-number':
      throw new AmountError(
        `"${text}" is not an amount: use digits with an optional decimal point, e.g. 12.34 (no signs, spaces or separators)`,
      );
    case 'too-many-places':
      throw new AmountError(
        `"${text}" has ${parsed.places} decimal place(s) but ${currency} allows ${parsed.allowed === 0 ? 'none' : `at most ${parsed.allowed}`}`,
      );
    case 'not-positive':
      throw new AmountError(`"${text}" must be more than zero`);
    case 'too-large':
      throw new AmountError(`"${text}" is too large`);
  }
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
