// `npm run bench:push-modes [-- --clients 1000]`: the seed's comparison of push techniques, with
// Signoff's own transports. N desktop-like clients against the real stub process, one event per second
// to a random client, for each mode in turn:
//   ajax       GET /events from the client's cursor every --poll-seconds (5 s)
//   long-poll  GET /events?wait=25, asked again as soon as it answers
//   signoff    the v1 WebSocket stream (signoff.v1)
//   stomp      STOMP over WebSocket at /ws (v12.stomp) with @stomp/stompjs, as the desktop core uses it
//   bare-ws    a bare `ws` push server doing the same work without the product: the CPU baseline
// An event is a real commit: the target client's user submits a claim, and the stub pushes the
// claim.submitted event of that user's stream (the cheapest per-user event: one REST call, two
// events — the other is claim.assigned to heidi, who has no client here). The claim's title carries a
// marker the clients look for. The bare server does the same work in its barest form: one HTTP request
// per event, one durable SQLite row (same synchronous mode), then the push (lib/bare-push-server.ts).
// Every mode is measured over a busy window (events flowing) and an idle window (none); after the
// modes, each server commits the same events again with no client connected (the commit-only rows),
// so the push's own share can be read off. Loopback only; bounded by --clients ≤ 20,000 and --timeout.
import { fork } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type LaunchedStub, launchStubOnScratchDatabase } from '../server-stub/launcher';
import { BARE_PUSH_PATH, type BarePush, runBarePushServer } from './lib/bare-push-server';
import { benchClaim } from './lib/bench-claim';
import { runWithDeadline, startBench } from './lib/bench-main';
import { eventMarker } from './lib/event-marker';
import { cpuMillis, fileLimitAllows } from './lib/proc';
import { runPushCrowd } from './lib/push-crowd';
import {
  type CrowdSample,
  FromBareServer,
  FromCrowd,
  PUSH_MODES,
  PushMode,
  type ToBareServer,
  type ToCrowd,
} from './lib/push-modes-protocol';
import { type SignedIn, signInAll } from './lib/sign-in';
import { preciseNow, type Summary, summarize } from './lib/stats';
import { WorkerLink } from './lib/worker-link';

const ROOT = path.resolve(__dirname, '../..');
const DEMO_PASSWORD = 'demo';
const MAX_CLIENTS = 20_000;
const TARGETS = { idleRequestsPerSecond: 0, delayP99Ms: 10, cpuOverBare: 1.5 };

const USAGE = `Usage: npm run bench:push-modes -- [options]
  --clients <n>            desktop-like clients per mode (default 1000, at most ${MAX_CLIENTS})
  --users <n>              users owning them (default: one per client). Fewer users sign in faster (each
                           sign-in is one scrypt on the stub), but then an event reaches every client of
                           its user; the bare server then sends to as many clients
  --modes <list>           comma-separated, in this order (default all): ${PUSH_MODES.join(',')}
  --window <s>             busy window per mode: events flow, counters and CPU are measured (default 30)
  --idle <s>               idle window per mode, no events (default 20)
  --rate <n>               events per second during the busy window (default 1)
  --poll-seconds <s>       ajax polling period (default 5)
  --long-poll-seconds <s>  long-poll wait, 1–25 (default 25)
  --heartbeat <s>          heartbeat of the stub's stream and of the bare server (default 15, the stub's)
  --concurrency <n>        connections being opened at once (default 100)
  --sign-in-concurrency <n>  sign-ins in flight (default 8)
  --sync full|normal       the stub's SQLite synchronous mode (default full)
  --profile <dir>          write a V8 CPU profile of the stub there (--cpu-prof)
  --timeout <s>            abort after this long (default 900)
  --help                   show this text

Each mode: the clients connect (or take their cursor from GET /queue), settle, then the busy window,
a drain (so late polls still count their events), then the idle window. Figures:
  requests/s       HTTP requests plus WebSocket messages that are not heart-beats, counted at the
                   clients (the event generator's one submit per event is not counted). An ajax
                   client skips a poll while its previous one is unanswered, so ajax below
                   clients/poll-seconds means the server (or the machine) fell behind
  server CPU ms/s  user+system time of the stub (or bare server) process from /proc/<pid>/stat
  wire KB/s        TCP payload both ways on the client sockets
  delay            from sending the submit that commits the event to the client holding it
  client CPU ms/s  the crowd's own process: shows whether the client side was the bottleneck`;

interface Options {
  clients: number;
  users: number;
  modes: PushMode[];
  windowSeconds: number;
  idleSeconds: number;
  rate: number;
  pollSeconds: number;
  longPollSeconds: number;
  heartbeatSeconds: number;
  concurrency: number;
  signInConcurrency: number;
  sync: 'full' | 'normal';
  timeoutSeconds: number;
  /** Directory for a V8 CPU profile of the stub, or null. */
  profileDir: string | null;
}

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '1000' },
      users: { type: 'string' },
      modes: { type: 'string', default: PUSH_MODES.join(',') },
      window: { type: 'string', default: '30' },
      idle: { type: 'string', default: '20' },
      rate: { type: 'string', default: '1' },
      'poll-seconds': { type: 'string', default: '5' },
      'long-poll-seconds': { type: 'string', default: '25' },
      heartbeat: { type: 'string', default: '15' },
      concurrency: { type: 'string', default: '100' },
      'sign-in-concurrency': { type: 'string', default: '8' },
      sync: { type: 'string', default: 'full' },
      timeout: { type: 'string', default: '900' },
      profile: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return number;
  };
  const clients = int('clients', values.clients, 1, MAX_CLIENTS);
  const modes = values.modes.split(',').map((mode) => {
    const parsed = PushMode.safeParse(mode.trim());
    if (!parsed.success) throw new Error(`--modes: "${mode}" is not one of ${PUSH_MODES.join(', ')}`);
    return parsed.data;
  });
  if (values.sync !== 'full' && values.sync !== 'normal') throw new Error('--sync must be full or normal');
  return {
    clients,
    users: values.users ? int('users', values.users, 1, clients) : clients,
    modes: PUSH_MODES.filter((mode) => modes.includes(mode)),
    windowSeconds: int('window', values.window, 5, 600),
    idleSeconds: int('idle', values.idle, 5, 600),
    rate: int('rate', values.rate, 1, 100),
    pollSeconds: int('poll-seconds', values['poll-seconds'], 1, 60),
    longPollSeconds: int('long-poll-seconds', values['long-poll-seconds'], 1, 25),
    heartbeatSeconds: int('heartbeat', values.heartbeat, 1, 600),
    concurrency: int('concurrency', values.concurrency, 1, 1000),
    signInConcurrency: int('sign-in-concurrency', values['sign-in-concurrency'], 1, 64),
    sync: values.sync,
    timeoutSeconds: int('timeout', values.timeout, 30, 3600),
    profileDir: values.profile ? path.resolve(values.profile) : null,
  };
}

function loadUserId(index: number): string {
  return `load${String(index).padStart(5, '0')}`;
}

/** Where a mode's events come from and where its server runs. */
interface Server {
  pid: number;
  /** What the crowd connects to. */
  url: string;
  tokens: string[];
  /** Commits (or sends) event `id` for user `user`, whose clients are `clients`. */
  emit(id: number, user: number, clients: readonly number[]): Promise<void>;
}

function stubServer(stub: LaunchedStub, people: SignedIn, users: number): Server {
  const apis = Array.from({ length: users }, (_, i) => people.clients.get(loadUserId(i + 1))!);
  return {
    pid: stub.child.pid!,
    url: stub.url,
    tokens: apis.map((api) => api.token!),
    emit: async (id, user) => {
      await apis[user]!.submitClaim(benchClaim(eventMarker(id)));
    },
  };
}

function bareServer(link: WorkerLink<FromBareServer, ToBareServer>, port: number): Server {
  const agent = new http.Agent({ keepAlive: true });
  return {
    pid: link.child.pid!,
    url: `ws://127.0.0.1:${port}`,
    tokens: [],
    emit: (id, _user, clients) =>
      new Promise<void>((resolve, reject) => {
        const body: BarePush = { id, clients: [...clients] };
        const request = http.request(
          { host: '127.0.0.1', port, path: BARE_PUSH_PATH, method: 'POST', agent },
          (response) => {
            response.resume();
            response.on('end', () =>
              response.statusCode === 201 ? resolve() : reject(new Error(`HTTP ${response.statusCode}`)),
            );
          },
        );
        request.on('error', reject);
        request.end(JSON.stringify(body));
      }),
  };
}

interface Snapshot {
  at: number;
  crowd: CrowdSample;
  serverCpuMs: number;
}

interface Rates {
  requests: number;
  serverCpuMs: number;
  bytes: number;
  clientCpuMs: number;
  errors: number;
  firstError: string | null;
}

function ratesBetween(a: Snapshot, b: Snapshot): Rates {
  const seconds = (b.at - a.at) / 1000;
  return {
    requests: (b.crowd.requests - a.crowd.requests) / seconds,
    serverCpuMs: (b.serverCpuMs - a.serverCpuMs) / seconds,
    bytes: (b.crowd.bytes - a.crowd.bytes) / seconds,
    clientCpuMs: (b.crowd.cpuMs - a.crowd.cpuMs) / seconds,
    errors: b.crowd.errors - a.crowd.errors,
    firstError: b.crowd.firstError,
  };
}

interface ModeResult {
  mode: PushMode;
  connected: number;
  busy: Rates;
  idle: Rates;
  /** The event's `at` (stamped in its committing transaction) → the client has it. */
  delay: Summary;
  /** The event generator sent the request that commits it → the client has it. */
  sendDelay: Summary;
  received: number;
  expected: number;
  emitErrors: number;
}

async function runMode(mode: PushMode, server: Server, options: Options): Promise<ModeResult> {
  const crowd = WorkerLink.forkSelf<FromCrowd, ToCrowd>('--crowd', FromCrowd, { type: 'close' });
  try {
    crowd.send({
      type: 'open',
      mode,
      url: server.url,
      tokens: server.tokens,
      clients: options.clients,
      concurrency: options.concurrency,
      pollSeconds: options.pollSeconds,
      longPollSeconds: options.longPollSeconds,
    });
    const opened = await crowd.next('opened');
    console.log(
      `${mode}: ${opened.connected}/${options.clients} clients ready in ${(opened.elapsedMs / 1000).toFixed(1)} s` +
        (opened.failed ? ` (${opened.failed} failed: ${opened.firstError})` : ''),
    );
    const receipts: Array<[number, number, number]> = [];
    const snapshot = async (): Promise<Snapshot> => {
      crowd.send({ type: 'sample' });
      const sample = await crowd.next('sample');
      receipts.push(...sample.receipts);
      return { at: preciseNow(), crowd: sample, serverCpuMs: cpuMillis(server.pid) ?? Number.NaN };
    };
    // Pollers start at random phases of their period: let one period pass before measuring.
    await sleep(mode === 'ajax' ? options.pollSeconds * 1000 : 2_000);
    const busyStart = await snapshot();
    const sent = await emitEvents(server, options);
    const busyEnd = await snapshot();
    // Events of the last seconds still reach pollers at their next poll.
    await sleep(mode === 'ajax' ? options.pollSeconds * 1000 + 1_000 : 2_000);
    const idleStart = await snapshot();
    await sleep(options.idleSeconds * 1000);
    const idleEnd = await snapshot();

    const ours = receipts.filter(([id]) => sent.at.has(id));
    return {
      mode,
      connected: opened.connected,
      busy: ratesBetween(busyStart, busyEnd),
      idle: ratesBetween(idleStart, idleEnd),
      delay: summarize(ours.map(([, committedAt, at]) => at - committedAt)),
      sendDelay: summarize(ours.map(([id, , at]) => at - sent.at.get(id)!)),
      received: ours.length,
      expected: sent.expectedReceipts,
      emitErrors: sent.errors,
    };
  } finally {
    await crowd.stop();
    await sleep(1_000); // let the server see the closes before the next mode
  }
}

/**
 * The stub's CPU for committing the events alone, with no client connected: what a stub row's server
 * CPU includes beyond pushing (and beyond what the bare server does at all).
 */
async function measureCommitOnly(name: string, server: Server, options: Options): Promise<number> {
  const started = preciseNow();
  const before = cpuMillis(server.pid) ?? Number.NaN;
  const sent = await emitEvents(server, options);
  const cpuMs = ((cpuMillis(server.pid) ?? Number.NaN) - before) / ((preciseNow() - started) / 1000);
  console.log(
    `${name} commit only: ${sent.at.size} events committed (${sent.errors} failed), ${cpuMs.toFixed(1)} ms/s`,
  );
  return cpuMs;
}

/** `rate` events per second for the busy window, each to a random client's user. */
async function emitEvents(server: Server, options: Options) {
  const at = new Map<number, number>();
  const inFlight: Promise<void>[] = [];
  let errors = 0;
  let expectedReceipts = 0;
  const count = options.windowSeconds * options.rate;
  const started = preciseNow();
  for (let id = 1; id <= count; id++) {
    await sleep(Math.max(0, started + ((id - 1) * 1000) / options.rate - preciseNow()));
    const user = Math.floor(Math.random() * options.clients) % options.users;
    const clients = clientsOf(user, options);
    expectedReceipts += clients.length;
    at.set(id, preciseNow());
    inFlight.push(server.emit(id, user, clients).catch(() => void errors++));
  }
  await sleep(Math.max(0, started + options.windowSeconds * 1000 - preciseNow()));
  await Promise.all(inFlight);
  return { at, errors, expectedReceipts };
}

/** Client i belongs to user i mod users. */
function clientsOf(user: number, options: Options): number[] {
  const clients: number[] = [];
  for (let i = user; i < options.clients; i += options.users) clients.push(i);
  return clients;
}

const LABELS: Record<PushMode, string> = {
  ajax: 'ajax polling',
  'long-poll': 'long polling',
  signoff: 'WebSocket signoff.v1',
  stomp: 'STOMP /ws (stompjs)',
  'bare-ws': 'bare ws + commit (baseline)',
};

const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** CPU ms/s of each server committing the busy window's events with no client connected. */
interface CommitOnly {
  stub: number | null;
  bare: number | null;
}

function printReport(results: readonly ModeResult[], commitOnly: CommitOnly, options: Options): boolean {
  const bare = results.find((result) => result.mode === 'bare-ws');
  console.log(
    `\nPush modes: ${options.clients} clients (${options.users} users), ${options.rate} event/s to a random ` +
      `client for ${options.windowSeconds} s, idle ${options.idleSeconds} s; ajax every ${options.pollSeconds} s, ` +
      `long-poll wait ${options.longPollSeconds} s, heartbeat ${options.heartbeatSeconds} s, sync ${options.sync}\n`,
  );
  console.log(
    '| mode | requests/s | server CPU ms/s | wire KB/s | delay p50 / p99 / max ms (commit → client) | ' +
      'submit → client p50 / p99 ms | delivered | idle requests/s | idle server CPU ms/s | client CPU ms/s |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const errors = r.busy.errors + r.idle.errors;
    const delivered =
      `${r.received}/${r.expected}` +
      (r.emitErrors ? ` (${r.emitErrors} emit errors)` : '') +
      (errors ? ` (${errors} client errors, the first: ${r.idle.firstError})` : '');
    console.log(
      `| ${LABELS[r.mode]} | ${fixed(r.busy.requests)} | ${fixed(r.busy.serverCpuMs)} | ${fixed(r.busy.bytes / 1024)} | ` +
        `${fixed(r.delay.p50, 2)} / ${fixed(r.delay.p99, 2)} / ${fixed(r.delay.max, 2)} | ` +
        `${fixed(r.sendDelay.p50, 2)} / ${fixed(r.sendDelay.p99, 2)} | ${delivered} | ` +
        `${fixed(r.idle.requests)} | ${fixed(r.idle.serverCpuMs)} | ${fixed(r.busy.clientCpuMs)} |`,
    );
  }
  for (const [name, cpuMs] of Object.entries(commitOnly)) {
    if (cpuMs === null) continue;
    console.log(
      `| (${name} committing the events, no clients) | – | ${fixed(cpuMs)} | – | – | – | – | – | – | – |`,
    );
  }

  const judged = results.filter((result) => result.mode === 'signoff' || result.mode === 'stomp');
  if (judged.length === 0) return true;
  const cpuLimit = bare ? bare.busy.serverCpuMs * TARGETS.cpuOverBare : Number.NaN;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  const ratio = (cpuMs: number) => (bare ? ` (${fixed(cpuMs / bare.busy.serverCpuMs, 2)}×)` : '');
  const rows: Array<[string, (r: ModeResult) => [string, boolean | null]]> = [
    [
      'idle requests/s = 0',
      (r) => [fixed(r.idle.requests), r.idle.requests === TARGETS.idleRequestsPerSecond],
    ],
    [
      `delay p99 ≤ ${TARGETS.delayP99Ms} ms`,
      (r) => [fixed(r.delay.p99, 2), r.delay.p99 <= TARGETS.delayP99Ms],
    ],
    [
      bare
        ? `server CPU ≤ ${TARGETS.cpuOverBare} × bare ws (${fixed(bare.busy.serverCpuMs)} ms/s → ≤ ${fixed(cpuLimit)})`
        : 'server CPU ms/s (vs bare ws: add bare-ws to --modes)',
      (r) => [
        `${fixed(r.busy.serverCpuMs)}${ratio(r.busy.serverCpuMs)}`,
        bare ? r.busy.serverCpuMs <= cpuLimit : null,
      ],
    ],
    ['every event delivered', (r) => [`${r.received}/${r.expected}`, r.received === r.expected]],
  ];
  const { stub: stubCommit, bare: bareCommit } = commitOnly;
  if (stubCommit !== null && bare && bareCommit !== null) {
    // Not a target: the push alone, each server's commit-only CPU set aside.
    const barePush = bare.busy.serverCpuMs - bareCommit;
    rows.push([
      `(reference) push alone: server CPU less its commit-only CPU (bare ws ${fixed(barePush)})`,
      (r) => {
        const push = r.busy.serverCpuMs - stubCommit;
        return [`${fixed(push)} (${fixed(push / barePush, 2)}×)`, null];
      },
    ]);
  }
  console.log(`\n| target | ${judged.map((r) => LABELS[r.mode]).join(' | ')} |`);
  console.log(`|---|${judged.map(() => '---|').join('')}`);
  let allMet = true;
  for (const [label, judge] of rows) {
    const cells = judged.map((r) => {
      const [value, ok] = judge(r);
      if (ok === false) allMet = false;
      return ok === null ? value : `${value} ${verdict(ok)}`;
    });
    console.log(`| ${label} | ${cells.join(' | ')} |`);
  }
  console.log(
    '\nDelays from `at` have whole-ms resolution (up to +1 ms). The machine may be shared: CPU and tail ' +
      'figures are raw and noisy; run again on a quiet machine to judge.',
  );
  return allMet;
}

async function runBenchmark(options: Options): Promise<boolean> {
  if (!fileLimitAllows(options.clients)) return false;
  const stubModes = options.modes.filter((mode) => mode !== 'bare-ws');
  const results: ModeResult[] = [];
  const commitOnly: CommitOnly = { stub: null, bare: null };
  let stub: LaunchedStub | null = null;
  let bare: WorkerLink<FromBareServer, ToBareServer> | null = null;
  try {
    if (stubModes.length > 0) {
      stub = await launchStubOnScratchDatabase({
        root: ROOT,
        port: 0,
        args: [
          ...['--host', '127.0.0.1', '--sync', options.sync],
          ...['--load-users', String(options.users), '--heartbeat-seconds', String(options.heartbeatSeconds)],
        ],
        nodeArgs: options.profileDir ? ['--cpu-prof', '--cpu-prof-dir', options.profileDir] : [],
      });
      console.log(`stub pid ${stub.child.pid} at ${stub.url}; signing in ${options.users} users…`);
      const names = Array.from({ length: options.users }, (_, i) => loadUserId(i + 1));
      const people = await signInAll(stub.url, names, DEMO_PASSWORD, options.signInConcurrency);
      console.log(`signed in ${people.clients.size} users in ${(people.elapsedMs / 1000).toFixed(1)} s`);
      const server = stubServer(stub, people, options.users);
      for (const mode of stubModes) results.push(await runMode(mode, server, options));
      // After the modes, so the stub's code paths are warm as they were while measured.
      commitOnly.stub = await measureCommitOnly('stub', server, options);
    }
    if (options.modes.includes('bare-ws')) {
      bare = new WorkerLink<FromBareServer, ToBareServer>(
        fork(__filename, ['--bare-server', String(options.heartbeatSeconds), options.sync], {
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
        FromBareServer,
        { type: 'close' },
      );
      const { port } = await bare.next('listening');
      const server = bareServer(bare, port);
      results.push(await runMode('bare-ws', server, options));
      commitOnly.bare = await measureCommitOnly('bare', server, options);
    }
  } finally {
    await bare?.stop();
    await stub?.stop();
  }
  return printReport(results, commitOnly, options);
}

async function main(): Promise<void> {
  const role = process.argv[2];
  if (role === '--crowd' || role === '--bare-server') {
    // A child whose coordinator is gone has nothing left to do.
    process.on('disconnect', () => process.exit(0));
    if (role === '--crowd') runPushCrowd();
    else runBarePushServer(Number(process.argv[3]), process.argv[4] === 'normal' ? 'normal' : 'full');
    return;
  }
  const options = parseOptions();
  await runWithDeadline('bench:push-modes', options.timeoutSeconds, () => runBenchmark(options));
}

startBench('bench:push-modes', main);
