// Search, filters and sort order for the queue. Pure and allocation-light: the window re-runs it on
// every keystroke over up to thousands of claims, so the lowercase search text per claim is built once
// (cached by claim object identity, which only changes when the claim does).
import type { ClaimCategory, ClaimSummary, StepKind } from '../protocol/claims';
import { minorUnitDigits } from '../protocol/money-format';

/** age: oldest first, as the core orders the queue; amount: largest first; submitter: by name. */
export type QueueSort = 'age' | 'amount' | 'submitter';
export const QUEUE_SORTS: readonly QueueSort[] = ['age', 'amount', 'submitter'];

export interface QueueFilter {
  /**
   * Matched case-insensitively against title, submitter name, id, currency, the total (as minor units
   * "349800", or major units "3498.00" / "3,498.00") and the line-item descriptions the summary carries
   * (`itemDescriptions`: the first 20; a server older than that field sends none).
   */
  text: string;
  category: ClaimCategory | 'all';
  step: StepKind | 'all';
  /** Absent means 'age' (the queue's own order). */
  sort?: QueueSort;
}

export const noFilter: QueueFilter = { text: '', category: 'all', step: 'all', sort: 'age' };

const haystacks = new WeakMap<ClaimSummary, string>();

/** minorUnitDigits builds an Intl.NumberFormat: once per currency, not once per claim per keystroke. */
const digitsByCurrency = new Map<string, number>();
function digitsOf(currency: string): number {
  let digits = digitsByCurrency.get(currency);
  if (digits === undefined) {
    digits = minorUnitDigits(currency);
    digitsByCurrency.set(currency, digits);
  }
  return digits;
}

/**
 * The total as people type it: "3498.00" and "3,498.00" (so "3498", "3,498" and "34.98" all match as
 * substrings), plus the minor-unit integer. Split as a digit string, never divided as a float; grouping
 * is by thousands with a comma, as both window languages (en, zh-CN) write it.
 */
export function amountSearchForms(amountMinor: number, currency: string): string[] {
  const digits = digitsOf(currency);
  const text = `${Math.abs(amountMinor)}`.padStart(digits + 1, '0');
  const major = digits === 0 ? text : text.slice(0, -digits);
  const fraction = digits === 0 ? '' : `.${text.slice(-digits)}`;
  let grouped = major;
  for (let at = major.length - 3; at > 0; at -= 3) grouped = `${grouped.slice(0, at)},${grouped.slice(at)}`;
  return [`${amountMinor}`, `${major}${fraction}`, `${grouped}${fraction}`];
}

function haystackOf(claim: ClaimSummary): string {
  let text = haystacks.get(claim);
  if (text === undefined) {
    text = [
      claim.title,
      claim.submitter.name,
      claim.submitter.id,
      claim.id,
      claim.currency,
      ...amountSearchForms(claim.totalMinor, claim.currency),
      ...(claim.itemDescriptions ?? []),
    ]
      .join('\n')
      .toLocaleLowerCase();
    haystacks.set(claim, text);
  }
  return text;
}

export function isFiltering(filter: QueueFilter): boolean {
  return filter.text.trim() !== '' || filter.category !== 'all' || filter.step !== 'all';
}

const collators = new Map<string, Intl.Collator>();
function collatorFor(locale: string): Intl.Collator {
  let collator = collators.get(locale);
  if (!collator) {
    collator = new Intl.Collator(locale);
    collators.set(locale, collator);
  }
  return collator;
}

function sorted(list: readonly ClaimSummary[], sort: QueueSort, locale: string): readonly ClaimSummary[] {
  if (sort === 'age') return list;
  const copy = [...list];
  if (sort === 'amount') {
    // Without exchange rates amounts in different currencies do not compare: group by currency, then
    // largest first within it. Integers, so the comparison is exact.
    copy.sort((a, b) =>
      a.currency === b.currency ? b.totalMinor - a.totalMinor : a.currency < b.currency ? -1 : 1,
    );
  } else {
    const collator = collatorFor(locale);
    // Array.prototype.sort is stable: equal names keep the oldest-first order.
    copy.sort((a, b) => collator.compare(a.submitter.name, b.submitter.name));
  }
  return copy;
}

/**
 * Filters, then sorts. Returns the same array when nothing filters and the order is the queue's own
 * (cheap re-renders). `locale` orders submitter names the way the reader's language does.
 */
export function filterQueue(
  queue: readonly ClaimSummary[],
  filter: QueueFilter,
  locale = 'en',
): readonly ClaimSummary[] {
  const sort = filter.sort ?? 'age';
  if (!isFiltering(filter)) return sorted(queue, sort, locale);
  const terms = filter.text.trim().toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return sorted(
    queue.filter(
      (claim) =>
        (filter.category === 'all' || claim.category === filter.category) &&
        (filter.step === 'all' || claim.currentStep?.kind === filter.step) &&
        terms.every((term) => haystackOf(claim).includes(term)),
    ),
    sort,
    locale,
  );
}
