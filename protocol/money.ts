import { z } from 'zod';

/**
 * ISO 4217 alphabetic code. Checked against the runtime's own currency list so that
 * a typo such as "RMB" is refused instead of being formatted as an unknown currency.
 */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency'));
export const CurrencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'currency must be a three-letter ISO 4217 code')
  .refine((code) => knownCurrencies.has(code), 'unknown ISO 4217 currency');
export type CurrencyCode = z.infer<typeof CurrencyCode>;

/**
 * Money is always an integer count of the currency's minor unit (fen, cents, yen). Never a float.
 * zod 4's `int()` already bounds to ±(2^53 − 1); adding `.safe()` would report the same issue twice.
 */
export const MinorUnits = z.number().int();

/** A positive amount, as every line item and total must be. */
export const PositiveMinorUnits = MinorUnits.positive();

export const Money = z.object({ amountMinor: MinorUnits, currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

// Formatting lives in a zod-free module so the renderer can use it without bundling zod.
export { formatMoney, minorUnitDigits } from './money-format';
