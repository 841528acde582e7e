// Exact decimal amounts typed by a person ("12.34") into integer minor units, with string and BigInt
// arithmetic only: a float would turn 0.29 into 28.999… fen. zod-free, so the window's resubmit form
// and the operator CLI share it; each words the failure in its own way.
import { minorUnitDigits } from './money-format';

export type DecimalAmountFailure = 'not-a-number' | 'too-many-places' | 'not-positive' | 'too-large';

export type DecimalAmount =
  | { ok: true; minor: number }
  | { ok: false; failure: DecimalAmountFailure; places: number; allowed: number };

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/** "12.34" in CNY → 1234; "1500" in JPY → 1500. No signs, spaces or thousands separators. */
export function parseDecimalAmount(text: string, currency: string): DecimalAmount {
  const allowed = minorUnitDigits(currency);
  const match = DECIMAL.exec(text.trim());
  const fraction = match?.[2] ?? '';
  const fail = (failure: DecimalAmountFailure): DecimalAmount => ({
    ok: false,
    failure,
    places: fraction.length,
    allowed,
  });
  if (!match) return fail('not-a-number');
  if (fraction.length > allowed) return fail('too-many-places');
  const minor = BigInt(match[1]!) * 10n ** BigInt(allowed) + BigInt(fraction.padEnd(allowed, '0') || '0');
  if (minor <= 0n) return fail('not-positive');
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) return fail('too-large');
  return { ok: true, minor: Number(minor) };
}
