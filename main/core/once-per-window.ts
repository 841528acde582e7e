// "At most once per window, and never lose the last one": runs an action at once if the window since
// it last ran has passed, otherwise once when that window ends. One timer, armed only while a run is
// owed, so a flood of requests costs a flood of cheap calls and no work. Used for flood summaries and
// for rate-limited log lines.
import type { Clock } from './ports';

export class OncePerWindow {
  private ranAt = Number.NEGATIVE_INFINITY;
  private timer: unknown = null;

  constructor(
    private readonly clock: Clock,
    private readonly windowMs: number,
    /** Returns false when it had nothing to do (then the window does not restart). */
    private readonly action: () => boolean,
  ) {}

  request(): void {
    const now = this.clock.now();
    const dueAt = this.ranAt + this.windowMs;
    if (now >= dueAt) this.run();
    else if (this.timer === null) {
      this.timer = this.clock.setTimeout(() => {
        this.timer = null;
        this.run();
      }, dueAt - now);
    }
  }

  /** Runs an owed action now (e.g. before stopping), so nothing is lost. */
  flush(): void {
    if (this.timer === null) return;
    this.cancel();
    this.run();
  }

  /** Forgets any owed run and the window. */
  cancel(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  reset(): void {
    this.cancel();
    this.ranAt = Number.NEGATIVE_INFINITY;
  }

  private run(): void {
    if (this.action()) this.ranAt = this.clock.now();
  }
}
