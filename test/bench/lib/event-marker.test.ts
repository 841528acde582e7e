// The push-modes benchmark finds its events by marker in whatever each transport delivers; a wrong
// match would report a delivery (and a delay) that did not happen.
import { describe, expect, it } from 'vitest';
import { eventMarker, markedEvents } from '../../../bench/lib/event-marker';

const AT = '2026-12-02T10:00:00.123Z';
const AT_MS = Date.parse(AT);
const submitted = (id: number, seq: number, at = AT) => ({
  seq,
  at,
  type: 'claim.submitted',
  claim: { id: `EXP-${seq}`, title: eventMarker(id), submittedAt: '2026-12-02T09:00:00.000Z' },
});

describe('markedEvents', () => {
  it('finds the event in a v1 frame with the at of the event, not of an outer or inner object', () => {
    const frame = { type: 'event', epoch: 'e1', event: submitted(7, 3) };
    expect(markedEvents(JSON.stringify(frame))).toEqual([[7, AT_MS]]);
  });

  it('finds every event of an events page, each once, with its own at', () => {
    const later = '2026-12-02T10:00:01.000Z';
    const page = {
      status: 'ok',
      events: [submitted(1, 1), submitted(2, 2, later), submitted(1, 3)],
      cursor: { epoch: 'e1', seq: 3 },
      hasMore: false,
    };
    expect(markedEvents(JSON.stringify(page))).toEqual([
      [1, AT_MS],
      [2, Date.parse(later)],
    ]);
  });

  it('reads a STOMP body (a bare event) and the bare server message alike', () => {
    expect(markedEvents(JSON.stringify(submitted(12, 40)))).toEqual([[12, AT_MS]]);
    expect(markedEvents(JSON.stringify({ type: 'event', seq: 1, at: AT, text: eventMarker(99) }))).toEqual([
      [99, AT_MS],
    ]);
  });

  it('finds nothing in unmarked, half-marked or non-JSON text, and NaN where no at encloses the marker', () => {
    expect(markedEvents(JSON.stringify(submitted(5, 1)).replace('pushbench', 'pushbunch'))).toEqual([]);
    expect(markedEvents(JSON.stringify({ title: 'pushbench#12' }))).toEqual([]);
    expect(markedEvents(`not json ${eventMarker(3)}`)).toEqual([]);
    expect(markedEvents('\n')).toEqual([]);
    expect(markedEvents(JSON.stringify({ title: eventMarker(4) }))).toEqual([[4, Number.NaN]]);
  });
});
