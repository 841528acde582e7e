// One timer for many deadlines. Idle connections must not each own a timer (10k timers cost memory
// and wake-ups), so hello time-outs, session expiry and close grace periods all go through a
// min-heap of deadlines with a single setTimeout armed for the earliest one.

interface Deadline {
  at: number;
  fire: () => void;
  cancelled: boolean;
}

export interface DeadlineHandle {
  cancel(): void;
}

/** setTimeout cannot wait longer than 2^31-1 ms; longer deadlines re-arm when this elapses. */
const MAX_TIMER_MS = 2_147_483_647;

export class DeadlineQueue {
  private readonly heap: Deadline[] = [];
  private timer: NodeJS.Timeout | null = null;
  private armedAt = Number.POSITIVE_INFINITY;
  private stopped = false;

  constructor(private readonly onError: (error: unknown) => void = () => {}) {}

  /** Calls `fire` at epoch-ms `at` (or at once, on the next turn, if it has passed). */
  schedule(at: number, fire: () => void): DeadlineHandle {
    const deadline: Deadline = { at, fire, cancelled: false };
    if (this.stopped) return { cancel: () => {} };
    this.push(deadline);
    this.arm();
    // Cancelled entries stay in the heap until they surface; they are cheap and bounded by what was scheduled.
    return {
      cancel: () => {
        deadline.cancelled = true;
      },
    };
  }

  size(): number {
    return this.heap.length;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.heap.length = 0;
  }

  private arm(): void {
    const next = this.heap[0];
    if (!next || this.stopped) return;
    if (this.timer && next.at >= this.armedAt) return;
    if (this.timer) clearTimeout(this.timer);
    const delay = Math.min(Math.max(0, next.at - Date.now()), MAX_TIMER_MS);
    this.armedAt = next.at;
    this.timer = setTimeout(() => this.run(), delay);
    // Deadlines alone must not keep a process alive (the HTTP server does that).
    this.timer.unref();
  }

  private run(): void {
    this.timer = null;
    this.armedAt = Number.POSITIVE_INFINITY;
    const now = Date.now();
    for (let next = this.heap[0]; next && next.at <= now; next = this.heap[0]) {
      this.pop();
      if (next.cancelled) continue;
      try {
        next.fire();
      } catch (error) {
        this.onError(error);
      }
      if (this.stopped) return;
    }
    this.arm();
  }

  private push(item: Deadline): void {
    const heap = this.heap;
    heap.push(item);
    let index = heap.length - 1;
    while (index > 0) {
      const parentIndex = (index - 1) >> 1;
      const parent = heap[parentIndex]!;
      if (parent.at <= item.at) break;
      heap[index] = parent;
      index = parentIndex;
    }
    heap[index] = item;
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop();
    if (!last || heap.length === 0) return;
    let index = 0;
    const length = heap.length;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && heap[right]!.at < heap[left]!.at ? right : left;
      if (heap[child]!.at >= last.at) break;
      heap[index] = heap[child]!;
      index = child;
    }
    heap[index] = last;
  }
}
