// The queue's search/filter and the window's formatters, as plain functions (no browser needed).
import { describe, expect, it } from 'vitest';
import { SIGN_IN_FAILURES } from '../../main/common/sign-in-failures';
import type { ClaimSummary } from '../../protocol';
import { createFormatters } from '../../renderer/i18n';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { filterQueue, noFilter } from '../../renderer/queue-filter';

function summary(
  id: string,
  title: string,
  submitter: string,
  overrides: Partial<ClaimSummary> = {},
): ClaimSummary {
  return {
    id,
    version: 1,
    state: 'pending',
    title,
    category: 'travel',
    expenseDate: '2026-11-02',
    currency: 'CNY',
    totalMinor: 64_050,
    submitter: { id: submitter.toLowerCase().split(' ')[0]!, name: submitter },
    submittedAt: '2026-11-20T08:00:00.000Z',
    updatedAt: '2026-11-20T08:00:00.000Z',
    currentStepSince: '2026-11-20T08:00:00.000Z',
    stepCount: 3,
    currentStep: { index: 0, kind: 'supervisor', approvers: [{ id: 'bob', name: 'Bob Li' }] },
    flags: [],
    ...overrides,
  };
}

const queue = [
  summary('EXP-000001', 'Client visit Shanghai', 'Alice Zhang'),
  summary('EXP-000002', 'Team dinner', 'Alice Zhang', { category: 'meals' }),
  summary('EXP-000003', 'GPU rental', 'Erin Zhao', {
    currentStep: { index: 1, kind: 'finance', approvers: [{ id: 'dave', name: 'Dave Liu' }] },
  }),
];

describe('filterQueue', () => {
  it('returns the same array when nothing filters (cheap re-renders)', () => {
    expect(filterQueue(queue, noFilter)).toBe(queue);
    expect(filterQueue(queue, { ...noFilter, text: '   ' })).toBe(queue);
  });

  it('matches every word against title, submitter and id, case-insensitively, keeping the order', () => {
    const ids = (text: string) => filterQueue(queue, { ...noFilter, text }).map((claim) => claim.id);
    expect(ids('shanghai')).toEqual(['EXP-000001']);
    expect(ids('ALICE')).toEqual(['EXP-000001', 'EXP-000002']);
    expect(ids('alice dinner')).toEqual(['EXP-000002']);
    expect(ids('exp-000003')).toEqual(['EXP-000003']);
    expect(ids('erin')).toEqual(['EXP-000003']);
    expect(ids('nothing-like-this')).toEqual([]);
  });

  it('filters by category and by step kind, combined with the text', () => {
    expect(filterQueue(queue, { ...noFilter, category: 'meals' }).map((c) => c.id)).toEqual(['EXP-000002']);
    expect(filterQueue(queue, { ...noFilter, step: 'finance' }).map((c) => c.id)).toEqual(['EXP-000003']);
    expect(
      filterQueue(queue, { text: 'alice', category: 'travel', step: 'supervisor' }).map((c) => c.id),
    ).toEqual(['EXP-000001']);
  });

  it('matches the line-item descriptions a summary carries; a summary without them still filters', () => {
    const withItems = [
      summary('EXP-000011', 'Shanghai trip', 'Alice Zhang', {
        itemDescriptions: ['Hotel Jinjiang', '高铁票'],
      }),
      summary('EXP-000012', 'Team offsite', 'Erin Zhao', { itemDescriptions: ['Boat rental'] }),
      summary('EXP-000013', 'Older server', 'Erin Zhao'),
    ];
    const ids = (text: string) => filterQueue(withItems, { ...noFilter, text }).map((claim) => claim.id);
    expect(ids('jinjiang')).toEqual(['EXP-000011']);
    expect(ids('高铁')).toEqual(['EXP-000011']);
    expect(ids('erin boat')).toEqual(['EXP-000012']);
    expect(ids('erin')).toEqual(['EXP-000012', 'EXP-000013']);
  });
});

describe('formatters', () => {
  const now = Date.parse('2026-11-20T11:00:00.000Z');

  it('formats money exactly from integer minor units in each language', () => {
    expect(createFormatters('en').money(64_050, 'CNY')).toBe('CN¥640.50');
    expect(createFormatters('zh-CN').money(64_050, 'CNY')).toBe('¥640.50');
    expect(createFormatters('en').money(9_007_199_254_740_991, 'JPY')).toBe('¥9,007,199,254,740,991');
  });

  it('says how long a claim has waited, in words people use', () => {
    expect(createFormatters('en').relative('2026-11-20T08:00:00.000Z', now)).toBe('3 hours ago');
    expect(createFormatters('zh-CN').relative('2026-11-20T08:00:00.000Z', now)).toBe('3小时前');
    expect(createFormatters('en').relative('2026-11-20T10:59:30.000Z', now)).toBe(en.justNow);
    expect(createFormatters('en').relative('2026-11-19T08:00:00.000Z', now)).toBe('yesterday');
  });

  it('shows a calendar date as written, whatever the local time zone', () => {
    expect(createFormatters('en').calendarDate('2026-11-02')).toBe('Nov 2, 2026');
    expect(createFormatters('zh-CN').calendarDate('2026-11-02')).toBe('2026年11月2日');
  });

  it('counts with the locale’s grouping in the queue header', () => {
    const fmt = createFormatters('en');
    expect(en.queueCount(1000, 1000, fmt.count)).toBe('1,000 claims');
    expect(en.queueCount(1, 1, fmt.count)).toBe('1 claim');
    expect(zhCN.queueCount(100, 1000, createFormatters('zh-CN').count)).toBe('显示 100 笔，共 1,000 笔');
  });

  it('has a distinct message for every sign-in failure in both languages', () => {
    const kinds = SIGN_IN_FAILURES;
    for (const catalog of [en, zhCN]) {
      const texts = kinds.map((kind) => catalog.signInFailure(kind));
      expect(new Set(texts).size).toBe(kinds.length);
    }
  });
});
