// Money as a reader cannot misread it. Intl's symbol is fine for the reader's home currency (¥ for a
// Chinese reader's yuan) and for letter-qualified symbols (CN¥, US$), but a bare or look-alike symbol
// for a foreign currency misleads: in English JPY prints "¥84,511" next to "CN¥" amounts, and a
// Chinese reader takes any "¥" (even "JP¥") for yuan. Those are shown with the ISO code ("JPY 84,511").
// Amounts stay exact: integer minor units are split with BigInt and handed to Intl as a decimal string.
import { minorUnitDigits } from '../protocol/money-format';

/** The currency a reader of each window language takes a bare symbol for. */
const HOME_CURRENCY: Record<string, string> = { en: 'USD', 'zh-CN': 'CNY' };

const formats = new Map<string, Intl.NumberFormat>();
function numberFormat(locale: string, currency: string, display: 'symbol' | 'code'): Intl.NumberFormat {
  const key = `${locale} ${currency} ${display}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency, currencyDisplay: display });
    formats.set(key, format);
  }
  return format;
}

function symbolOf(locale: string, currency: string): string {
  return (
    numberFormat(locale, currency, 'symbol')
      .formatToParts(0)
      .find((part) => part.type === 'currency')?.value ?? currency
  );
}

const displays = new Map<string, 'symbol' | 'code'>();
/** 'symbol' when the symbol cannot be mistaken for the reader's home currency, else 'code'. */
export function currencyDisplayFor(locale: string, currency: string): 'symbol' | 'code' {
  const key = `${locale} ${currency}`;
  let display = displays.get(key);
  if (display === undefined) {
    const home = HOME_CURRENCY[locale] ?? 'USD';
    if (currency === home) display = 'symbol';
    else {
      const symbol = symbolOf(locale, currency);
      const homeSymbol = symbolOf(locale, home);
      const qualified = /\p{L}/u.test(symbol) && symbol !== currency;
      display = qualified && !symbol.includes(homeSymbol) ? 'symbol' : 'code';
    }
    displays.set(key, display);
  }
  return display;
}

const texts = new Map<string, string>();
/** Cached: a 1,000-row queue formats each distinct amount once. */
export function displayMoney(amountMinor: number, currency: string, locale: string): string {
  const key = `${locale} ${currency} ${amountMinor}`;
  let text = texts.get(key);
  if (text === undefined) {
    const digits = minorUnitDigits(currency);
    const abs = BigInt(Math.abs(amountMinor));
    const scale = 10n ** BigInt(digits);
    const major = abs / scale;
    const decimal = digits === 0 ? `${major}` : `${major}.${(abs % scale).toString().padStart(digits, '0')}`;
    const signed = amountMinor < 0 ? `-${decimal}` : decimal;
    // Intl.NumberFormat accepts a decimal string and formats it without float rounding.
    text = numberFormat(locale, currency, currencyDisplayFor(locale, currency)).format(
      signed as unknown as number,
    );
    texts.set(key, text);
  }
  return text;
}
