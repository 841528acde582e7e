// What each policy flag (protocol/policy-flags.ts) says, once per language: the window's catalogs
// and the core's notification text (main/core/i18n.ts) both take these, so a flag never reads two
// ways. The amount formatter is the caller's (the window and the core format money their own way).
// Zod-free: the window bundles it.
import type { PolicyFlag } from '../../protocol/policy-flags';
import type { Locale } from './locale';

export type FormatAmount = (amountMinor: number, currency: string) => string;

export interface PolicyFlagStrings {
  /** One flag as a sentence fragment: "Over the category limit of ¥1,500.00". */
  text(flag: PolicyFlag, money: FormatAmount): string;
  /** "2 policy flags" (the row badge's accessible name starts with it). */
  count(n: number): string;
  /** Joins several flag texts into one line. */
  join(texts: readonly string[]): string;
}

const en: PolicyFlagStrings = {
  text: (flag, money) => {
    switch (flag.code) {
      case 'over_category_limit':
        return `Over the category limit of ${money(flag.limitMinor, flag.currency)}`;
      case 'possible_duplicate':
        return `Possible duplicate of ${flag.duplicateOf}`;
      case 'weekend_expense':
        return `Expense on a weekend (${flag.day === 'saturday' ? 'Saturday' : 'Sunday'})`;
      case 'receipt_missing':
        return `No receipt; one is required above ${money(flag.thresholdMinor, flag.currency)}`;
      case 'expense_too_old':
        return `Expense is ${flag.ageDays} days old (the limit is ${flag.maxAgeDays} days)`;
    }
  },
  count: (n) => (n === 1 ? '1 policy flag' : `${n} policy flags`),
  join: (texts) => texts.join('; '),
};

const zhCN: PolicyFlagStrings = {
  text: (flag, money) => {
    switch (flag.code) {
      case 'over_category_limit':
        return `超出类别限额 ${money(flag.limitMinor, flag.currency)}`;
      case 'possible_duplicate':
        return `疑似与 ${flag.duplicateOf} 重复`;
      case 'weekend_expense':
        return `费用发生在周末（${flag.day === 'saturday' ? '星期六' : '星期日'}）`;
      case 'receipt_missing':
        return `缺少票据（超过 ${money(flag.thresholdMinor, flag.currency)} 须附票据）`;
      case 'expense_too_old':
        return `费用日期距今 ${flag.ageDays} 天（上限 ${flag.maxAgeDays} 天）`;
    }
  },
  count: (n) => `${n} 项合规提示`,
  join: (texts) => texts.join('；'),
};

const catalogs: Record<Locale, PolicyFlagStrings> = { en, 'zh-CN': zhCN };

export function policyFlagStringsFor(locale: Locale): PolicyFlagStrings {
  return catalogs[locale];
}
