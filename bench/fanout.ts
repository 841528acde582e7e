// `npm run bench:fanout [-- --clients 10000]`: how the stub's WebSocket push holds up with many idle
// desktop clients. Starts the real stub process, opens N authenticated stream clients from a separate
// worker process (the 9 demo users' tokens, several connections per token), then measures:
//   (a) stub memory per idle connection (VmRSS before/after, divided by N);
//   (b) one announcement's delivery time to every client (p50/p99/max, and that all got it);
//   (c) approval latency: bob approves, carol's client receives claim.assigned (p50/p99).
// Loopback only; aborts after --timeout seconds.
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import {
  ApiClient,
  PROTOCOL_VERSION,
  type ServerFrame,
  STREAM_SUBPROTOCOL,
  type SubmitClaimRequest,
} from '../protocol';
import { runFanoutWorker } from './lib/fanout-worker';
import { openFileLimit, residentBytes } from './lib/proc';
import { preciseNow, type Summary, summarize } from './lib/stats';
import { startStubProcess } from './lib/stub-runner';
import { FromWorker, type ToWorker } from './lib/worker-protocol';

const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'admin'];
const ROOT = path.resolve(__dirname, '../..');
/** Sockets per process beyond the clients themselves: stdio, IPC, SQLite, HTTP clients. */
const FD_HEADROOM = 256;

const TARGETS = {
  announcementMaxMs: 250,
  bytesPerConnection: 30 * 1024,
  approvalP99Ms: 5,
};

interface BenchOptions {
  clients: number;
  approvals: number;
  timeoutSeconds: number;
  concurrency: number;
  sync: string;
  /** Directory for V8 CPU profiles of the stub and the worker (--cpu-prof), or null. */
  profileDir: string | null;
}

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '5000' },
      approvals: { type: 'string', default: '200' },
      timeout: { type: 'string', default: '120' },
      concurrency: { type: 'string', default: '200' },
      sync: { type: 'string', default: 'full' },
      profile: { type: 'string' },
      worker: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(
      'Usage: npm run bench:fanout -- [--clients 5000] [--approvals 200] [--timeout 120] [--concurrency 200] [--sync full|normal] [--profile <dir>]',
    );
    process.exit(0);
  }
  const int = (name: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return number;
  };
  if (values.sync !== 'full' && values.sync !== 'normal') throw new Error('--sync must be full or normal');
  return {
    clients: int('clients', values.clients, 1),
    approvals: int('approvals', values.approvals, 1),
    timeoutSeconds: int('timeout', values.timeout, 10),
    concurrency: int('concurrency', values.concurrency, 1),
    sync: values.sync,
    profileDir: values.profile ? path.resolve(values.profile) : null,
  };
}

/** A child process speaking the worker protocol, with request/response helpers. */
class WorkerLink {
  private readonly inbox: FromWorker[] = [];
  private waiter: (() => void) | null = null;
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const parsed = FromWorker.safeParse(raw);
      if (!parsed.success) return;
      this.inbox.push(parsed.data);
      this.waiter?.();
    });
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  send(message: ToWorker): void {
    this.child.send(message);
  }

  /** Asks the worker to drop its clients and exit (writing its profile, if any); kills it if stuck. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 3_000);
    if (this.child.connected) this.send({ type: 'close' });
    await this.exited;
    clearTimeout(killer);
  }

  async next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>> {
    for (;;) {
      const index = this.inbox.findIndex((message) => message.type === type);
      if (index >= 0) return this.inbox.splice(index, 1)[0] as Extract<FromWorker, { type: T }>;
      await new Promise<void>((resolve) => {
        this.waiter = resolve;
        void this.exited.then(() => resolve());
      });
      if (this.child.exitCode !== null) throw new Error(`worker exited (${this.child.exitCode})`);
    }
  }
}

/** One stream client in this process, for the approval measurement. */
async function openMeasuringClient(url: string, token: string) {
  const ws = new WebSocket(url, STREAM_SUBPROTOCOL, {
    headers: { authorization: `Bearer ${token}` },
    perMessageDeflate: false,
  });
  const waiting = new Map<string, (at: number) => void>();
  const welcomed = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data: Buffer) => {
      const at = preciseNow();
      const frame = JSON.parse(data.toString()) as ServerFrame;
      if (frame.type === 'welcome') resolve();
      if (frame.type === 'event' && frame.event.type === 'claim.assigned') {
        waiting.get(frame.event.claim.id)?.(at);
        waiting.delete(frame.event.claim.id);
      }
    });
  });
  ws.once('open', () =>
    ws.send(JSON.stringify({ type: 'hello', protocolVersion: PROTOCOL_VERSION, resume: null })),
  );
  await welcomed;
  return {
    /** Resolves with the receipt instant of claim.assigned for `claimId`. */
    assigned(claimId: string): Promise<number> {
      return new Promise((resolve) => waiting.set(claimId, resolve));
    },
    close: () => ws.terminate(),
  };
}

const CLAIM: SubmitClaimRequest = {
  title: 'Taxi to the customer',
  category: 'transport',
  expenseDate: new Date().toISOString().slice(0, 10),
  currency: 'CNY',
  items: [{ description: 'Taxi', amountMinor: 4_250 }],
  totalMinor: 4_250,
};

/** Sequential submit (alice) → approve (bob) → claim.assigned received by carol's stream client. */
async function measureApprovals(streamUrl: string, sessions: ReadonlyMap<string, ApiClient>, count: number) {
  const carol = await openMeasuringClient(streamUrl, sessions.get('carol')!.token!);
  const alice = sessions.get('alice')!;
  const bob = sessions.get('bob')!;
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < count; i++) {
    const claim = await alice.submitClaim(CLAIM);
    const pushed = carol.assigned(claim.id);
    const started = preciseNow();
    await bob.approve(claim.id, { version: claim.version });
    roundTrips.push(preciseNow() - started);
    latencies.push((await pushed) - started);
  }
  carol.close();
  return { push: summarize(latencies), http: summarize(roundTrips) };
}

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

async function runBenchmark(options: BenchOptions): Promise<boolean> {
  const limit = openFileLimit();
  const needed = options.clients + FD_HEADROOM;
  console.log(
    `fd limit (ulimit -n): ${limit ?? 'unknown'}; each side needs about ${needed} for ${options.clients} clients`,
  );
  if (limit !== null && limit < needed) {
    console.error(
      `\nThe open-file limit ${limit} is too low for ${options.clients} sockets per process.\n` +
        `Raise it first, e.g. \`ulimit -n ${Math.max(25_000, needed)}\` (or LimitNOFILE in systemd / nofile in limits.conf), ` +
        'or run with fewer --clients.',
    );
    return false;
  }

  const nodeArgs = options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [];
  const stub = await startStubProcess(ROOT, ['--sync', options.sync], nodeArgs);
  const worker = new WorkerLink(
    fork(__filename, ['--worker'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: nodeArgs }),
  );
  try {
    const streamUrl = `${stub.url.replace('http', 'ws')}/api/v1/stream`;
    console.log(`stub pid ${stub.pid} at ${stub.url} (sync ${options.sync}); worker pid ${worker.child.pid}`);
    const sessions = new Map<string, ApiClient>();
    for (const user of DEMO_USERS) {
      const client = new ApiClient({ baseUrl: stub.url });
      await client.signIn(user, 'demo');
      sessions.set(user, client);
    }
    // Warm the stream path once so the baseline includes loaded code, not just an idle heap.
    const warm = await openMeasuringClient(streamUrl, sessions.get('heidi')!.token!);
    warm.close();
    await settle(1_000);
    const rssBefore = residentBytes(stub.pid) ?? Number.NaN;

    worker.send({
      type: 'connect',
      url: streamUrl,
      tokens: DEMO_USERS.map((user) => sessions.get(user)!.token!),
      clients: options.clients,
      concurrency: options.concurrency,
    });
    const connected = await worker.next('connected');
    console.log(
      `connected ${connected.connected}/${options.clients} clients in ${(connected.elapsedMs / 1000).toFixed(1)} s` +
        (connected.failed ? ` (${connected.failed} failed: ${connected.firstError})` : ''),
    );
    await settle(3_000);
    const rssAfter = residentBytes(stub.pid) ?? Number.NaN;
    const perConnection = (rssAfter - rssBefore) / Math.max(1, connected.connected);

    // (b) one announcement to everyone.
    const marker = `bench-${Date.now()}`;
    worker.send({ type: 'arm', marker });
    await worker.next('armed');
    const sentAt = preciseNow();
    await sessions.get('admin')!.announce({ title: marker, body: 'Fan-out benchmark' });
    worker.send({ type: 'collect', timeoutMs: 10_000 });
    const received = await worker.next('received');
    const delivery = summarize(received.times.map((t) => t - sentAt));

    // (c) approval → next approver's push, one at a time: with the idle crowd connected (carol's
    // share of it receives every claim.assigned too), then again with only the measuring client.
    const loaded = await measureApprovals(streamUrl, sessions, options.approvals);
    await worker.stop();
    await settle(1_000); // let the stub see 10k closes before measuring without them
    const alone = await measureApprovals(streamUrl, sessions, options.approvals);

    return printReport({
      options,
      connected: connected.connected,
      connectMs: connected.elapsedMs,
      rssBefore,
      rssAfter,
      perConnection,
      delivery,
      received: received.times.length,
      dropped: received.dropped,
      approval: loaded.push,
      approveHttp: loaded.http,
      approvalAlone: alone.push,
    });
  } finally {
    await worker.stop();
    await stub.stop();
  }
}

interface Report {
  options: BenchOptions;
  connected: number;
  connectMs: number;
  rssBefore: number;
  rssAfter: number;
  perConnection: number;
  delivery: Summary;
  received: number;
  dropped: number;
  approval: Summary;
  approveHttp: Summary;
  approvalAlone: Summary;
}

function printReport(r: Report): boolean {
  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const n = r.options.clients;
  const allConnected = r.connected === n;
  const allReceived = r.received === r.connected && r.connected > 0;
  const rows: Array<[string, string, string, boolean | null]> = [
    [
      'clients connected (hello → welcome)',
      `${r.connected} / ${n} in ${(r.connectMs / 1000).toFixed(1)} s`,
      'all',
      allConnected,
    ],
    ['stub RSS idle → with clients', `${mib(r.rssBefore)} → ${mib(r.rssAfter)}`, '', null],
    [
      'stub memory per idle connection',
      `${(r.perConnection / 1024).toFixed(1)} KB`,
      `≤ ${TARGETS.bytesPerConnection / 1024} KB`,
      r.perConnection <= TARGETS.bytesPerConnection,
    ],
    ['announcement received by', `${r.received} / ${r.connected} (dropped ${r.dropped})`, 'all', allReceived],
    ['announcement delivery p50', ms(r.delivery.p50), '', null],
    ['announcement delivery p99', ms(r.delivery.p99), '', null],
    [
      'announcement delivery max (all served)',
      ms(r.delivery.max),
      `≤ ${TARGETS.announcementMaxMs} ms`,
      r.delivery.max <= TARGETS.announcementMaxMs,
    ],
    [`approve → claim.assigned pushed p50 (n=${r.approval.count})`, ms(r.approval.p50), '', null],
    [
      'approve → claim.assigned pushed p99',
      ms(r.approval.p99),
      `≤ ${TARGETS.approvalP99Ms} ms`,
      r.approval.p99 <= TARGETS.approvalP99Ms,
    ],
    ['approve → claim.assigned pushed max', ms(r.approval.max), '', null],
    ['approve HTTP round trip p50 / p99', `${ms(r.approveHttp.p50)} / ${ms(r.approveHttp.p99)}`, '', null],
    [
      'same, idle crowd gone: push p50 / p99',
      `${ms(r.approvalAlone.p50)} / ${ms(r.approvalAlone.p99)}`,
      '(reference)',
      null,
    ],
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => String(row[i]).length), 6));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
  console.log(`\nFan-out benchmark: ${n} clients, sync=${r.options.sync}\n`);
  console.log(line(['metric', 'measured', 'target']), ' result');
  console.log(line(widths.map((w) => '-'.repeat(w))), ' ------');
  for (const [metric, measured, target, ok] of rows) {
    console.log(line([metric, measured, target]), ok === null ? '' : ok ? ' PASS' : ' MISS');
  }
  return rows.every(([, , , ok]) => ok !== false);
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) {
    runFanoutWorker();
    return;
  }
  const options = parseOptions();
  const deadline = setTimeout(() => {
    console.error(`\nbench:fanout: aborted after ${options.timeoutSeconds} s`);
    process.exit(1);
  }, options.timeoutSeconds * 1000);
  deadline.unref();
  const ok = await runBenchmark(options);
  clearTimeout(deadline);
  process.exitCode = ok ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error('bench:fanout failed:', error);
  process.exitCode = 1;
});
