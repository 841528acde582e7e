import { describe, expect, it } from 'vitest';
import { AmountError, parseAmountToMinor, parseItem } from '../../../server-stub/operator/amounts';

describe('parseAmountToMinor', () => {
  it.each([
    ['12.34', 'CNY', 1234],
    ['0.29', 'CNY', 29], // 0.29 * 100 is 28.999… as a float
    ['1.1', 'CNY', 110],
    ['1500', 'JPY', 1500],
    ['1.234', 'KWD', 1234],
    ['90071992547409.91', 'USD', 9_007_199_254_740_991],
  ])('%s %s → %i minor units', (text, currency, expected) => {
    expect(parseAmountToMinor(text, currency)).toBe(expected);
  });

  it.each([
    ['1.234', 'CNY', /3 decimal place\(s\) but CNY allows at most 2/],
    ['12.5', 'JPY', /JPY allows none/],
    ['-5', 'CNY', /not an amount/],
    ['1,000.00', 'CNY', /not an amount/],
    ['1e3', 'CNY', /not an amount/],
    ['', 'CNY', /not an amount/],
    ['0.00', 'CNY', /more than zero/],
    ['90071992547409.92', 'USD', /too large/],
  ])('refuses %j in %s', (text, currency, message) => {
    expect(() => parseAmountToMinor(text, currency)).toThrow(AmountError);
    expect(() => parseAmountToMinor(text, currency)).toThrow(message);
  });
});

describe('parseItem', () => {
  it('splits at the last "=" so descriptions may contain one', () => {
    expect(parseItem('Fare a=b=12.50', 'CNY')).toEqual({ description: 'Fare a=b', amountMinor: 1250 });
  });
  it('needs a description and an amount', () => {
    expect(() => parseItem('12.50', 'CNY')).toThrow(/description=12.34/);
    expect(() => parseItem(' =12.50', 'CNY')).toThrow(/no description/);
  });
});
