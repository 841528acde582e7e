// Rigs for unit tests of the core's pieces without a server: the real NotificationPolicy, QueueStore
// and AccountState on a manual clock, a scripted REST API, and a fake WebSocket for stream clients.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach } from 'vitest';
import type WebSocket from 'ws';
import { AccountState } from '../../main/core/account-state';
import { Backoff, DEFAULT_BACKOFF } from '../../main/core/backoff';
import { NotificationPolicy } from '../../main/core/notification-policy';
import type { Settings } from '../../main/core/ports';
import { QueueStore } from '../../main/core/queue-store';
import { defaultSettings } from '../../main/core/settings';
import { SignoffStreamClient } from '../../main/core/signoff-stream-client';
import type { FrameCounters, StreamHooks } from '../../main/core/stream-client';
import { SyncEngine, type SyncEngineDeps } from '../../main/core/sync-engine';
import type {
  Announcement,
  AnnouncementListResponse,
  ApiClient,
  ClaimSummary,
  Cursor,
  EventsPage,
  QueueSnapshot,
  UserEvent,
} from '../../protocol';
import { captureLogger, ManualClock, makeTempDir, RecordingNotifier } from './core-fakes';
import { claimSummary, EPOCH } from './fake-server';

/** Noon local time, so quiet hours can be placed around "now" without crossing midnight. */
export const NOON = new Date(2026, 2, 10, 12, 0).getTime();

export interface PolicyRig {
  clock: ManualClock;
  notifier: RecordingNotifier;
  queue: QueueStore;
  state: AccountState;
  policy: NotificationPolicy;
  log: ReturnType<typeof captureLogger>;
  /** Mutable: the policy reads it on every decision. */
  settings: Settings;
  dispose(): void;
}

export function policyRig(): PolicyRig {
  const dir = makeTempDir('signoff-unit-');
  const clock = new ManualClock(NOON);
  const notifier = new RecordingNotifier();
  const log = captureLogger();
  const queue = new QueueStore();
  const state = new AccountState(dir.path, 'unit|bob', log);
  const rig: PolicyRig = {
    clock,
    notifier,
    queue,
    state,
    log,
    settings: defaultSettings(),
    policy: new NotificationPolicy({
      notifier,
      clock,
      logger: log,
      settings: () => rig.settings,
      locale: () => 'en',
      state: () => state,
      queueSize: () => queue.size,
      isQueued: (claimId) => queue.has(claimId),
    }),
    dispose: () => dir.remove(),
  };
  return rig;
}

/** A claim waiting on bob at `step` (0-based). */
export function waiting(id: string, step = 0): ClaimSummary {
  const now = new Date(NOON).toISOString();
  return claimSummary(id, {
    version: step + 1,
    expenseDate: '2026-03-01',
    submittedAt: now,
    updatedAt: now,
    currentStepSince: now,
    currentStep: { index: step, kind: 'supervisor', approvers: [{ id: 'bob', name: 'Bob Li' }] },
  });
}

export function assigned(seq: number, claim: ClaimSummary): UserEvent {
  return { seq, at: new Date(NOON).toISOString(), type: 'claim.assigned', claim };
}

export function unassigned(seq: number, claim: ClaimSummary): UserEvent {
  return {
    seq,
    at: new Date(NOON).toISOString(),
    type: 'claim.unassigned',
    claimId: claim.id,
    claimVersion: claim.version + 1,
    reason: 'approved',
    by: { id: 'carol', name: 'Carol Wang' },
  };
}

/**
 * The REST calls the sync engine makes, answered from a script. `events` answers the page
 * after the cursor it is asked with, from `log`, so a backfill sees exactly what it missed.
 */
export class ScriptedApi {
  snapshot: QueueSnapshot = { cursor: { epoch: EPOCH, seq: 0 }, claims: [] };
  /** Every event the server has, in order; `events()` pages through it. */
  log: UserEvent[] = [];
  /** What `GET /announcements` answers, newest first; an error here is thrown by every such call. */
  latest: readonly Announcement[] | Error = [];
  /** When set, the next REST call fails with it (once). */
  failNext: unknown = null;
  readonly calls: Array<
    { call: 'queue' } | { call: 'events'; after: Cursor | null } | { call: 'announcements' }
  > = [];
  private gate: Promise<void> = Promise.resolve();
  private release: () => void = () => {};

  /** REST answers wait until `open()`: lets a test send frames while a backfill is in flight. */
  hold(): void {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.release();
  }

  async queue(): Promise<QueueSnapshot> {
    this.calls.push({ call: 'queue' });
    await this.gate;
    this.throwIfScripted();
    return structuredClone(this.snapshot);
  }

  async events(after: Cursor | null, options: { limit?: number } = {}): Promise<EventsPage> {
    this.calls.push({ call: 'events', after: after && { ...after } });
    await this.gate;
    this.throwIfScripted();
    const from = after?.seq ?? 0;
    const events = this.log.filter((event) => event.seq > from).slice(0, options.limit ?? 1000);
    const last = events.at(-1)?.seq ?? from;
    return {
      status: 'ok',
      events,
      cursor: { epoch: EPOCH, seq: last },
      hasMore: this.log.some((event) => event.seq > last),
    };
  }

  async announcements(): Promise<AnnouncementListResponse> {
    this.calls.push({ call: 'announcements' });
    await this.gate;
    this.throwIfScripted();
    if (this.latest instanceof Error) throw this.latest;
    return { announcements: structuredClone([...this.latest]) };
  }

  asClient(): ApiClient {
    return this as unknown as ApiClient;
  }

  private throwIfScripted(): void {
    const failure = this.failNext;
    if (failure === null) return;
    this.failNext = null;
    throw failure;
  }
}

/** Lets pending promise chains (REST answers, drained backlogs) run to completion. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** Enough of a `ws` client socket for a stream client: the test plays the server side. */
export class FakeSocket extends EventEmitter {
  readyState: number = 0; // CONNECTING
  readonly sent: string[] = [];
  closedWith: number | null = null;

  send(data: string): void {
    this.sent.push(data);
  }

  ping(): void {}

  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  terminate(): void {
    this.readyState = 3;
    this.emit('close', 1006, Buffer.from(''));
  }

  /** The server accepts the upgrade. */
  accept(): void {
    this.readyState = 1; // OPEN
    this.emit('open');
  }

  receive(data: string | Buffer, isBinary = false): void {
    this.emit('message', typeof data === 'string' ? Buffer.from(data) : data, isBinary);
  }

  asWebSocket(): WebSocket {
    return this as unknown as WebSocket;
  }
}

/** A sync engine on the rig's real queue, state and policy; hooks default to doing nothing. */
export function syncEngineFor(
  rig: PolicyRig,
  api: ScriptedApi,
  hooks: Partial<Pick<SyncEngineDeps, 'onChange' | 'onBroken' | 'onSessionEnded'>> = {},
): SyncEngine {
  return new SyncEngine({
    api: api.asClient(),
    queue: rig.queue,
    state: rig.state,
    policy: rig.policy,
    logger: rig.log,
    onChange: () => {},
    onBroken: () => {},
    onSessionEnded: () => {},
    ...hooks,
  });
}

/** A policy rig, a scripted API and a sync engine over both: fresh for each test, disposed after it. */
export interface SyncRig {
  readonly rig: PolicyRig;
  readonly api: ScriptedApi;
  readonly sync: SyncEngine;
}

/**
 * Registers the hooks that give each test of the enclosing file (or describe block) a fresh SyncRig,
 * and flush the account state and remove its folder after the test. Read the fields inside hooks and
 * tests.
 */
export function useSyncRig(hooks: Parameters<typeof syncEngineFor>[2] = {}): SyncRig {
  const current: { rig?: PolicyRig; api?: ScriptedApi; sync?: SyncEngine } = {};
  beforeEach(() => {
    current.rig = policyRig();
    current.api = new ScriptedApi();
    current.sync = syncEngineFor(current.rig, current.api, hooks);
  });
  afterEach(async () => {
    await current.rig?.state.flush();
    current.rig?.dispose();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the sync rig is made in beforeEach: use it inside hooks and tests');
    return value;
  };
  return {
    get rig() {
      return started(current.rig);
    },
    get api() {
      return started(current.api);
    },
    get sync() {
      return started(current.sync);
    },
  };
}

export interface AcceptedStream {
  client: SignoffStreamClient;
  socket: FakeSocket;
  counters: FrameCounters;
}

/**
 * A signoff.v1 stream client on the rig's manual clock, over one fake socket, feeding `sync`, started
 * and with its socket accepted (so it has sent `hello`); the backoff retries at once, so only the
 * test's clock decides when anything happens.
 */
export async function acceptedStream(
  { rig, sync }: Pick<SyncRig, 'rig' | 'sync'>,
  hooks: Partial<Pick<StreamHooks, 'onState' | 'onSessionEnded'>> = {},
): Promise<AcceptedStream> {
  const counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
  const socket = new FakeSocket();
  const client = new SignoffStreamClient({
    url: 'ws://127.0.0.1:1/api/v1/stream',
    token: 't'.repeat(32),
    tls: {},
    clock: rig.clock,
    logger: rig.log,
    backoff: new Backoff(DEFAULT_BACKOFF, () => 0),
    counters,
    createSocket: () => socket.asWebSocket(),
    hooks: {
      prepare: () => sync.prepare(),
      onFrame: (frame) => sync.receive(frame),
      onState: () => {},
      onDisconnected: () => sync.disconnected(),
      onSessionEnded: () => {},
      ...hooks,
    },
  });
  client.start();
  await settle();
  socket.accept();
  return { client, socket, counters };
}
