import { describe, expect, it } from 'vitest';
import { negotiateHeartBeat, negotiateVersion } from '../../../server-stub/stomp/negotiation';

describe('negotiateVersion', () => {
  it('picks the highest version both speak; absent accept-version is a 1.0 client', () => {
    expect(negotiateVersion('1.0,1.1,1.2')).toBe('1.2');
    expect(negotiateVersion('1.1, 1.0')).toBe('1.1');
    expect(negotiateVersion(undefined)).toBe('1.0');
    expect(negotiateVersion('2.0,1.3')).toBeNull();
  });
});

describe('negotiateHeartBeat', () => {
  it('runs each direction at the larger wish, and not at all when either side says 0', () => {
    expect(negotiateHeartBeat('5000,20000', 10_000)).toEqual({ sendMs: 20_000, expectMs: 10_000 });
    expect(negotiateHeartBeat('1000,1000', 10_000)).toEqual({ sendMs: 10_000, expectMs: 10_000 });
    expect(negotiateHeartBeat('0,30000', 10_000)).toEqual({ sendMs: 30_000, expectMs: 0 });
    expect(negotiateHeartBeat('30000,0', 10_000)).toEqual({ sendMs: 0, expectMs: 30_000 });
    expect(negotiateHeartBeat(undefined, 10_000)).toEqual({ sendMs: 0, expectMs: 0 });
    expect(negotiateHeartBeat('5000,5000', 0)).toEqual({ sendMs: 0, expectMs: 0 });
  });

  it('refuses a malformed or absurd header', () => {
    for (const header of ['', '5000', 'a,b', '-1,5', '1,2,3', '99999999999,0']) {
      expect(negotiateHeartBeat(header, 10_000)).toBeNull();
    }
  });
});
