// Picks the catalog for the effective locale and formats dates, money and relative times with Intl.
import { formatMoney } from '../../protocol/money-format';
import type { Locale } from '../bridge-types';
import type { Catalog } from './catalog';
import { en } from './en';
import { zhCN } from './zh-CN';

export type { Catalog } from './catalog';

const catalogs: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

export function catalogFor(locale: Locale): Catalog {
  return catalogs[locale];
}

/** Intl formatters are costly to build; a 1,000-row queue must not build one per row. */
export interface Formatters {
  locale: Locale;
  money(amountMinor: number, currency: string): string;
  count(n: number): string;
  /** "3 hours ago" / "3小时前", for how long a claim has waited. */
  relative(iso: string, now: number): string;
  dateTime(iso: string): string;
  /** A calendar date (`YYYY-MM-DD`, no time zone) shown as written, never shifted by the local zone. */
  calendarDate(isoDate: string): string;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600_000],
  ['month', 30 * 24 * 3600_000],
  ['week', 7 * 24 * 3600_000],
  ['day', 24 * 3600_000],
  ['hour', 3600_000],
  ['minute', 60_000],
];

export function createFormatters(locale: Locale): Formatters {
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const dtf = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const df = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' });
  const nf = new Intl.NumberFormat(locale);
  const justNow = catalogFor(locale).justNow;
  const moneyCache = new Map<string, string>();
  return {
    locale,
    money(amountMinor, currency) {
      const key = `${amountMinor} ${currency}`;
      let text = moneyCache.get(key);
      if (text === undefined) {
        text = formatMoney(amountMinor, currency, locale);
        moneyCache.set(key, text);
      }
      return text;
    },
    relative(iso, now) {
      const elapsed = now - Date.parse(iso);
      for (const [unit, ms] of UNITS) {
        if (Math.abs(elapsed) >= ms) return rtf.format(-Math.floor(elapsed / ms), unit);
      }
      // Intl says "this minute" / "in 0 minutes"; people say "just now".
      return justNow;
    },
    count: (n) => nf.format(n),
    dateTime: (iso) => dtf.format(new Date(iso)),
    calendarDate: (isoDate) => df.format(new Date(`${isoDate}T00:00:00Z`)),
  };
}
