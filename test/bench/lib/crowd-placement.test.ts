// bench:cluster reports memory and delivery per node from this placement: a skewed split or a wrong
// per-node grouping would report one node's figures as the other's.
import { describe, expect, it } from 'vitest';
import { perUrl, placeClient } from '../../../bench/lib/crowd-placement';

const place = (clients: number, urls: number, tokens: number) =>
  Array.from({ length: clients }, (_, index) => placeClient(index, urls, tokens));

describe('placeClient', () => {
  it('splits a crowd evenly over the nodes and gives every owner connections on each node', () => {
    const placed = place(10_000, 2, 200);
    expect(placed.filter((p) => p.url === 0)).toHaveLength(5_000);
    for (let token = 0; token < 200; token++) {
      const nodes = placed.filter((p) => p.token === token).map((p) => p.url);
      // 50 connections per owner, 25 on each node.
      expect(nodes.filter((url) => url === 0)).toHaveLength(25);
      expect(nodes.filter((url) => url === 1)).toHaveLength(25);
    }
  });

  it('with one node, deals the tokens round-robin as bench:fanout always did', () => {
    expect(place(5, 1, 3).map((p) => p.token)).toEqual([0, 1, 2, 0, 1]);
    expect(place(5, 1, 3).every((p) => p.url === 0)).toBe(true);
  });
});

describe('perUrl', () => {
  it("groups each node's clients, as placed, keeping only those accepted", () => {
    const receipts = [10, 0, 12, 13, 0, 15, 16];
    const urls = place(receipts.length, 2, 1).map((p) => p.url);
    const grouped = perUrl(receipts, 2, (t) => t > 0);
    expect(grouped).toEqual([
      [10, 12, 16],
      [13, 15],
    ]);
    // The same grouping placeClient made: every kept value sits in its client's node.
    for (const [url, values] of grouped.entries()) {
      for (const value of values) expect(urls[receipts.indexOf(value)]).toBe(url);
    }
  });
});
