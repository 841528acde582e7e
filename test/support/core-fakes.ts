// Fakes for the ports the core cannot use for real under Node: notifications, the keychain and
// (where time matters) the clock. Everything else in these tests is real.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  Clock,
  Logger,
  NotificationActionEvent,
  NotificationRequest,
  Notifier,
} from '../../main/core/ports';

export class RecordingNotifier implements Notifier {
  readonly shown: NotificationRequest[] = [];
  readonly closed: string[] = [];
  supported = true;
  /** What the notifier says it can still close (an earlier run's notifications); none by default. */
  remembered: () => readonly string[] = () => [];
  private readonly waiters: Array<() => void> = [];

  isSupported(): boolean {
    return this.supported;
  }

  show(notification: NotificationRequest): void {
    this.shown.push(notification);
    for (const wake of this.waiters.splice(0)) wake();
  }

  close(id: string): void {
    this.closed.push(id);
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** What the core registered for button presses (issue 13). */
  private actionListener: ((event: NotificationActionEvent) => void) | null = null;

  onAction(listener: (event: NotificationActionEvent) => void): void {
    this.actionListener = listener;
  }

  /** Presses a button on a notification, as an adapter reports it. */
  press(event: NotificationActionEvent): void {
    if (!this.actionListener) throw new Error('the core registered no action listener');
    this.actionListener(event);
  }

  /** Claim ids of individual "waiting on you" notifications, in order. */
  claimIds(): string[] {
    return this.shown.filter((n) => n.id.startsWith('claim:')).map((n) => n.claimId ?? '');
  }

  /** Resolves on the next show/close. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export { MemorySecretStore } from '../../main/core/memory-secret-store';

/** More timers than any test arms in one `advance`: past it, one is re-arming itself in a loop. */
const RUNAWAY_TIMERS = 100_000;

/** A clock the test moves by hand. Timers fire in due order during `advance`. */
export class ManualClock implements Clock {
  private timers = new Map<number, { at: number; callback: () => void }>();
  private nextId = 1;

  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.set(id, { at: this.current + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing every timer that comes due, in order (including ones they arm). */
  advance(ms: number): void {
    const target = this.current + ms;
    // A timer that keeps re-arming itself at the same instant would spin here forever, holding the
    // whole test worker (no test timeout can fire): fail instead, naming the timer.
    let fired = 0;
    for (;;) {
      let nextId: number | null = null;
      let nextAt = Number.POSITIVE_INFINITY;
      for (const [id, timer] of this.timers) {
        if (timer.at <= target && timer.at < nextAt) {
          nextAt = timer.at;
          nextId = id;
        }
      }
      if (nextId === null) break;
      const timer = this.timers.get(nextId)!;
      this.timers.delete(nextId);
      fired += 1;
      if (fired > RUNAWAY_TIMERS) {
        throw new Error(
          `ManualClock.advance: over ${RUNAWAY_TIMERS} timers fired without time passing; a timer re-arms itself: ${String(timer.callback).slice(0, 200)}`,
        );
      }
      this.current = Math.max(this.current, timer.at);
      timer.callback();
    }
    this.current = target;
  }

  set(epochMs: number): void {
    this.advance(Math.max(0, epochMs - this.current));
  }
}

export interface CapturedLog extends Logger {
  lines: Array<{ level: string; message: string; fields?: Record<string, unknown> }>;
  text(): string;
}

export function captureLogger(): CapturedLog {
  const lines: CapturedLog['lines'] = [];
  const add = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, fields });
  };
  return {
    lines,
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    text: () => lines.map((l) => `${l.level} ${l.message} ${JSON.stringify(l.fields ?? {})}`).join('\n'),
  };
}

export function makeTempDir(prefix = 'signoff-core-'): { path: string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { path: dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Polls `predicate` (cheap, in-memory) until true; fails with `what` after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A throwaway self-signed certificate for 127.0.0.1 (EC P-256, one day), made with the openssl CLI. */
export function selfSignedCert(dir: string): {
  keyFile: string;
  certFile: string;
  key: string;
  cert: string;
} {
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
      ...['-keyout', keyFile, '-out', certFile, '-days', '1', '-subj', '/CN=127.0.0.1'],
      ...['-addext', 'subjectAltName=IP:127.0.0.1'],
    ],
    { stdio: 'ignore' },
  );
  return { keyFile, certFile, key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8') };
}
