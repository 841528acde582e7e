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

/** Money is always an integer count of the currency's minor unit (fen, cents, yen). Never a float. */
export const MinorUnits = z.number().int().safe();

/** A positive amount, as every line item and total must be. */
export const PositiveMinorUnits = MinorUnits.positive();

export const Money = z.object({ amountMinor: MinorUnits, currency: CurrencyCode });
export type Money = z.infer<typeof Money>;

/** Number of minor-unit digits for a currency (2 for CNY, 0 for JPY, 3 for KWD), as Intl knows it. */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Formats minor units exactly: the integer is split into major/minor with BigInt arithmetic, never divided as a float. */
export function formatMoney(amountMinor: number, currency: string, locale: string): string {
  const digits = minorUnitDigits(currency);
  const negative = amountMinor < 0;
  const abs = BigInt(Math.abs(amountMinor));
  const scale = 10n ** BigInt(digits);
  const major = abs / scale;
  const minor = abs % scale;
  const decimal = digits === 0 ? `${major}` : `${major}.${minor.toString().padStart(digits, '0')}`;
  // Intl.NumberFormat accepts a decimal string and formats it without float rounding.
  const fmt = new Intl.NumberFormat(locale, { style: 'currency', currency });
  return fmt.format((negative ? `-${decimal}` : decimal) as unknown as number);
}
