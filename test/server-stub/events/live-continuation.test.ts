import { describe, expect, it } from 'vitest';
import { continuation } from '../../../server-stub/events/live-continuation';

const events = (...seqs: number[]) => seqs.map((seq) => ({ seq }));
/** A store holding seqs 1…10; records whether it was read. */
function store() {
  const reads: Array<[number, number]> = [];
  const read = (after: number, limit: number) => {
    reads.push([after, limit]);
    return events(...Array.from({ length: 10 }, (_, i) => i + 1))
      .filter((e) => e.seq > after)
      .slice(0, limit);
  };
  return { reads, read };
}

describe('continuation', () => {
  it('hands over events that continue exactly, without reading the store', () => {
    const { reads, read } = store();
    expect(continuation(3, 5, events(4, 5), read)).toEqual(events(4, 5));
    expect(reads).toEqual([]);
  });

  it('drops what was handed over already (an echo, or another node that was faster)', () => {
    const { reads, read } = store();
    expect(continuation(5, 5, events(4, 5), read)).toEqual([]);
    expect(continuation(5, 4, [], read)).toEqual([]);
    expect(continuation(4, 6, events(3, 4, 5, 6), read)).toEqual(events(5, 6));
    expect(reads).toEqual([]);
  });

  it('reads a gap from the store: missed messages, or a bare hint with no events', () => {
    const { reads, read } = store();
    expect(continuation(3, 7, events(7), read)).toEqual(events(4, 5, 6, 7));
    expect(continuation(8, 10, [], read)).toEqual(events(9, 10));
    expect(reads).toEqual([
      [3, 4],
      [8, 2],
    ]);
  });
});
