// One timer for every connection's heart-beat on an endpoint (the v1 stream's pings, STOMP's EOLs and
// liveness checks): a wheel of slots turned by one interval. Each connection gets a slot when it joins
// (round robin, so slots stay even) and is visited once per turn of the wheel, always at the same phase,
// so two visits of one connection are one period apart however many come and go.
//
// Why a wheel: idle cost is wake-ups. Per-connection deadlines (STOMP before) or a tick every 20 ms
// with a few pings each (the v1 stream before) woke the process ~100 times a second for 1,000 idle
// clients, and each wake-up costs far more than the socket writes it does (an epoll return and a JS
// entry, and on this VM a context switch): bench:push-modes measured idle CPU 14 (v1) and 26 (STOMP)
// ms/s against 2.5 for a bare ws server that pings all in one go. A pinging burst, in turn, holds up
// every request behind it (bench:fanout: the approvals that overlapped a 10,000-ping burst were the
// p99). So the wheel has few slots (a wake-up every period/WHEEL_SLOTS, at least MIN_TICK_MS apart) and
// a slot's members are visited at most VISITS_PER_TURN at a time, the rest after pending I/O
// (setImmediate), so a request never waits behind more than one short batch.

/** Wake-ups per turn of the wheel at most: 50 → every 300 ms for the v1 stream's 15 s heartbeat. */
export const WHEEL_SLOTS = 50;
/** Never tick more often than this, whatever the period (tests use 1 s heartbeats). */
export const MIN_TICK_MS = 20;
/**
 * Visits (a socket write each, ~15 µs on loopback, and the pong it brings back) done back to back
 * before pending I/O gets its turn.
 */
export const VISITS_PER_TURN = 32;

export class HeartbeatWheel<T> {
  private readonly slots: Set<T>[];
  private readonly slotOf = new Map<T, Set<T>>();
  private readonly tickMs: number;
  private next = 0;
  private joined = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    /** How often each member is visited. */
    periodMs: number,
    /** Must not throw; may call `leave` (for this or any member). */
    private readonly visit: (member: T, now: number) => void,
  ) {
    const count = Math.max(1, Math.min(WHEEL_SLOTS, Math.floor(periodMs / MIN_TICK_MS)));
    this.slots = Array.from({ length: count }, () => new Set<T>());
    this.tickMs = periodMs / count;
  }

  get size(): number {
    return this.slotOf.size;
  }

  join(member: T): void {
    if (this.stopped || this.slotOf.has(member)) return;
    const slot = this.slots[this.joined++ % this.slots.length]!;
    slot.add(member);
    this.slotOf.set(member, slot);
    // An endpoint with no connections does not wake at all.
    if (!this.timer) {
      this.timer = setInterval(() => this.turn(), this.tickMs);
      this.timer.unref();
    }
  }

  leave(member: T): void {
    const slot = this.slotOf.get(member);
    if (!slot) return;
    slot.delete(member);
    this.slotOf.delete(member);
    if (this.slotOf.size === 0) this.pause();
  }

  stop(): void {
    this.stopped = true;
    this.pause();
  }

  private pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private turn(): void {
    const slot = this.slots[this.next]!;
    this.next = (this.next + 1) % this.slots.length;
    if (slot.size > 0) this.visitAll([...slot], 0);
  }

  private visitAll(members: readonly T[], from: number): void {
    if (this.stopped) return;
    const now = Date.now();
    const end = Math.min(from + VISITS_PER_TURN, members.length);
    for (let index = from; index < end; index++) {
      const member = members[index]!;
      // Left since the slot was read (ended by an earlier visit, or closed meanwhile).
      if (this.slotOf.has(member)) this.visit(member, now);
    }
    if (end < members.length) setImmediate(() => this.visitAll(members, end));
  }
}
