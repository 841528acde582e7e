// Exact formatting of integer minor units. No zod here: the renderer bundles this file.

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
