// The one rule that keeps what a node hands its live listeners gapless and duplicate-free when commits
// reach it from more than one place (its own transactions, and other nodes' through the broker): each
// stream remembers the last seq it handed over, and anything that does not continue it exactly is
// read back from the database, which is the truth. Used for the per-user streams and the broadcast one.

/**
 * The events to hand listeners so that they get `delivered + 1 … head` exactly once and in order:
 * `events` themselves when they are exactly that range, otherwise what `read` finds in the store
 * (a gap: messages missed during a broker blip, or another node's commit that has not arrived yet).
 * Empty when `head` is not past `delivered` (an echo of something already handed over).
 */
export function continuation<E extends { seq: number }>(
  delivered: number,
  head: number,
  events: readonly E[],
  read: (afterSeq: number, limit: number) => E[],
): readonly E[] {
  if (head <= delivered) return [];
  const first = events.findIndex((event) => event.seq > delivered);
  const fresh = first < 0 ? [] : events.slice(first);
  const exact =
    fresh.length === head - delivered && fresh[0]?.seq === delivered + 1 && fresh.at(-1)?.seq === head;
  return exact ? fresh : read(delivered, head - delivered);
}
