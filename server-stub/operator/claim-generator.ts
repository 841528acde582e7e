// Plausible expense claims for `simulate`, from a seeded PRNG so a run can be repeated exactly.
import type { ClaimCategory, SubmitClaimRequest } from '../../protocol';
import { receiptPdf, receiptPng, receiptUpload } from './receipt-files';

/** mulberry32: tiny, fast, good enough for test data, and deterministic for a given seed. */
export class SeededRandom {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  /** A shuffled copy (Fisher–Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }
}

interface Template {
  category: ClaimCategory;
  titles: string[];
  /** [description, min, max] in major units of CNY; amounts are drawn in whole fen. */
  items: Array<[string, number, number]>;
}

const CITIES = ['Shanghai', 'Shenzhen', 'Beijing', 'Hangzhou', 'Chengdu', 'Guangzhou', 'Singapore'];

const TEMPLATES: Template[] = [
  {
    category: 'travel',
    titles: ['Client visit in {city}', 'Trade fair in {city}', 'Quarterly review trip to {city}'],
    items: [
      ['Return flight to {city}', 900, 3800],
      ['High-speed rail to {city}', 150, 700],
      ['Airport transfer', 60, 250],
    ],
  },
  {
    category: 'lodging',
    titles: ['Hotel in {city}', 'Hotel stay for the {city} workshop'],
    items: [
      ['Hotel, 2 nights', 700, 2400],
      ['Hotel, 1 night', 350, 1200],
      ['Late check-out', 80, 200],
    ],
  },
  {
    category: 'meals',
    titles: ['Team lunch with customer', 'Dinner with the {city} distributor', 'Working lunch'],
    items: [
      ['Lunch for 4', 180, 650],
      ['Dinner for 6', 600, 1800],
      ['Coffee and snacks', 40, 160],
    ],
  },
  {
    category: 'transport',
    titles: ['Taxis in {city}', 'Ride to the customer site'],
    items: [
      ['Taxi to airport', 70, 220],
      ['Taxi to customer office', 25, 120],
      ['Parking', 15, 80],
    ],
  },
  {
    category: 'supplies',
    titles: ['Office supplies', 'Printer consumables', 'Demo kit parts'],
    items: [
      ['Printer toner', 260, 900],
      ['Notebooks and pens', 30, 150],
      ['USB-C cables', 40, 200],
    ],
  },
  {
    category: 'training',
    titles: ['Online course', 'Conference ticket, {city}'],
    items: [
      ['Course fee', 500, 3500],
      ['Conference ticket', 1200, 4800],
      ['Course book', 60, 240],
    ],
  },
];

const REJECT_REASONS = [
  'Receipt missing; please attach it and resubmit',
  'Over the meal allowance for this trip',
  'Duplicate of an earlier claim',
  'Wrong cost centre; please resubmit under the project code',
  'Not a business expense',
];

const APPROVE_COMMENTS = ['OK', 'Approved, thanks', 'Fine', 'Looks right'];

export function randomRejectReason(rng: SeededRandom): string {
  return rng.pick(REJECT_REASONS);
}

export function randomApproveComment(rng: SeededRandom): string | undefined {
  return rng.chance(0.3) ? rng.pick(APPROVE_COMMENTS) : undefined;
}

/** How often a generated claim breaks policy on purpose (server-stub/claims/policy-config.ts defaults). */
const SPLURGE_PROBABILITY = 0.06; // amounts tripled: over the category limit, a receipt needed
const LATE_PROBABILITY = 0.04; // dated 95–150 days back: older than the 90 days allowed

/**
 * A claim in CNY with 1–3 items, usually dated within the last 30 days. Some break the demo policy as
 * real ones do: any date can fall on a weekend, larger ones need a receipt, a few are over the
 * category limit or too old (the duplicates come from `simulate`, which resubmits now and then).
 */
export function randomClaim(rng: SeededRandom, today = new Date()): SubmitClaimRequest {
  const template = rng.pick(TEMPLATES);
  const city = rng.pick(CITIES);
  const fill = (text: string) => text.replaceAll('{city}', city);
  const count = rng.int(1, Math.min(3, template.items.length));
  const chosen = rng.shuffled(template.items).slice(0, count);
  const scale = rng.chance(SPLURGE_PROBABILITY) ? 3 : 1;
  const items = chosen.map(([description, min, max]) => ({
    description: fill(description),
    amountMinor: rng.int(min * 100, max * 100) * scale,
  }));
  const daysBack = rng.chance(LATE_PROBABILITY) ? rng.int(95, 150) : rng.int(0, 30);
  const date = new Date(today.getTime() - daysBack * 86_400_000);
  return {
    title: fill(rng.pick(template.titles)),
    category: template.category,
    expenseDate: date.toISOString().slice(0, 10),
    currency: 'CNY',
    items,
    totalMinor: items.reduce((sum, item) => sum + item.amountMinor, 0),
  };
}

/**
 * Receipts as employees attach them: most claims carry a photo of the slip, some an invoice PDF as
 * well (hotels and training more often), a few none at all (what "receipt missing" policy flags catch).
 */
export function withRandomReceipts(rng: SeededRandom, claim: SubmitClaimRequest): SubmitClaimRequest {
  const receipts = [];
  if (rng.chance(0.7))
    receipts.push(receiptUpload(`slip-${rng.int(1000, 9999)}.png`, receiptPng(rng.int(0, 99))));
  const invoiceLikely = claim.category === 'lodging' || claim.category === 'training';
  if (rng.chance(invoiceLikely ? 0.5 : 0.15)) {
    const lines = [
      'INVOICE',
      claim.title,
      ...claim.items.map(
        (item) => `${item.description}  ${claim.currency} ${(item.amountMinor / 100).toFixed(2)}`,
      ),
      `Total  ${claim.currency} ${(claim.totalMinor / 100).toFixed(2)}`,
    ];
    receipts.push(receiptUpload(`invoice-${rng.int(1000, 9999)}.pdf`, receiptPdf(lines)));
  }
  return receipts.length > 0 ? { ...claim, receipts } : claim;
}
