// Picks the catalog for the effective locale and formats dates, money and relative times with Intl.
// The one place the window turns a date or time into text: every view goes through `Formatters`.

import { SIGN_IN_FAILURES } from '../../main/common/sign-in-failures';
import { formatMoney } from '../../protocol/money-format';
import type { IpcError, Locale, SignInFailureKind } from '../bridge-types';
import type { Catalog } from './catalog';
import { en } from './en';
import { zhCN } from './zh-CN';

export type { Catalog, ProblemKind } from './catalog';

const catalogs: Record<Locale, Catalog> = { en, 'zh-CN': zhCN };

export function catalogFor(locale: Locale): Catalog {
  return catalogs[locale];
}

/**
 * Text to show now, in whatever language the window has when it renders: views keep one of these
 * (not a string) for messages that outlive a render, so switching the language re-words them too.
 */
export type Message = (t: Catalog) => string;

const SIGN_IN_KINDS: ReadonlySet<string> = new Set<SignInFailureKind>(SIGN_IN_FAILURES);

export function isSignInFailure(kind: IpcError['kind']): kind is SignInFailureKind {
  return SIGN_IN_KINDS.has(kind);
}

/**
 * An IPC failure in the window's language, chosen by its `kind`. The error's `message` is an English
 * diagnostic written by main (and may quote the server), meant for the log, so it is never shown.
 */
export function problemText(t: Catalog, error: IpcError): string {
  const { kind, issuer } = error;
  if (kind === 'tls' && issuer) return t.untrustedIssuer(issuer);
  return isSignInFailure(kind) ? t.signInFailure(kind) : t.problem(kind);
}

/**
 * Clock times per window language. zh-CN is pinned to 24-hour rather than left to ICU's default for
 * the locale: that default has changed between ICU releases (上午/下午 vs HH:mm), and Electron and Chromium
 * ship different ones. English keeps its usual 12-hour clock.
 */
const HOUR_CYCLE: Record<Locale, Intl.DateTimeFormatOptions['hourCycle']> = { en: undefined, 'zh-CN': 'h23' };

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
  const hourCycle = HOUR_CYCLE[locale];
  const dtf = new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    ...(hourCycle ? { hourCycle } : {}),
  });
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

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

/**
 * `HH:MM` for a 24-hour time typed as `H:MM` or `HH:MM` (spaces and a full-width colon from a Chinese
 * IME allowed), else null. The quiet-hours fields read times with it, the same in every language.
 */
export function parseTime(text: string): string | null {
  const match = TIME.exec(text.trim().replace('：', ':'));
  if (!match) return null;
  return `${match[1]?.padStart(2, '0')}:${match[2]}`;
}
