// The coordinator's end of a benchmark child process that speaks typed IPC messages: every message
// is checked against the child's schema, and the coordinator waits for them by type.
import { type ChildProcess, fork } from 'node:child_process';
import type { z } from 'zod';

type Typed = { type: string };

export class WorkerLink<From extends Typed, To extends Typed> {
  private readonly inbox: From[] = [];
  private waiter: (() => void) | null = null;
  readonly exited: Promise<number | null>;

  constructor(
    readonly child: ChildProcess,
    schema: z.ZodType<From>,
    /** What asks the child to let go of everything and exit. */
    private readonly closeMessage: To,
  ) {
    child.on('message', (raw) => {
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return;
      this.inbox.push(parsed.data);
      this.waiter?.();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  /**
   * Forks the running script again with `flag` (its entry point turns into the child on seeing it),
   * sharing our stdout and stderr; `execArgv`, if given, replaces node's own flags for the child
   * (otherwise it inherits ours).
   */
  static forkSelf<From extends Typed, To extends Typed>(
    flag: string,
    schema: z.ZodType<From>,
    closeMessage: To,
    execArgv?: readonly string[],
  ): WorkerLink<From, To> {
    const child = fork(process.argv[1]!, [flag], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      ...(execArgv ? { execArgv: [...execArgv] } : {}),
    });
    return new WorkerLink(child, schema, closeMessage);
  }

  send(message: To): void {
    this.child.send(message);
  }

  /** Asks the child to close and exit (writing its profile, if any); kills it if stuck. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    if (this.child.connected) this.send(this.closeMessage);
    await this.exited;
    clearTimeout(killer);
  }

  async next<T extends From['type']>(type: T): Promise<Extract<From, { type: T }>> {
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<From, { type: T }>;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        void this.exited.then(() => resolve());
      });
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode})`);
    }
  }
}

/** The child's end: calls `handle` with each message from the coordinator that fits `schema`. */
export function onCoordinatorMessage<To>(schema: z.ZodType<To>, handle: (message: To) => void): void {
  process.on('message', (raw) => {
    const parsed = schema.safeParse(raw);
    if (parsed.success) handle(parsed.data);
  });
}
