// `npm run bench:fanout [-- --clients 10000]`: how the stub's WebSocket push holds up with many idle
// desktop clients. Starts the real stub process (with --load-users), signs in a few hundred people,
// opens N authenticated stream clients from a separate worker process (~N/users connections each),
// then measures:
//   (a) stub memory per idle connection (VmRSS before/after, divided by N);
//   (b) one announcement's delivery time to every client (p50/p99/max, and that all got it), and
//       the announcement's write time at the stub (its write transaction, commit included, from the
//       Server-Timing header of POST /announcements; load-insensitive, unlike delivery) over
//       --announcements sequential announcements with the crowd connected;
//   (c) approval latency while the crowd stays connected: alice submits, bob approves, and carol's
//       one desktop receives claim.assigned. Alice, bob and carol have one connection each and none of
//       the idle crowd belongs to them: an approval writes to a few sockets, as it does in real life.
//       Beside it, measured in the same run: the disk's commit floor (one synchronous=FULL WAL insert
//       between rounds, see lib/commit-floor.ts), each approval's own write transaction at the stub (its
//       Server-Timing) and the push time less it, round by round (what is not that approval's disk
//       write), and the event-loop delay of the stub and of this process.
// --crowd-on-approvers puts the crowd on the nine demo users instead (the approvers then have ~N/9
// desktops each, so every approval writes to thousands of sockets): a worst case, reported as such.
// Loopback only; aborts after --timeout seconds.
// `npm run bench:fanout` starts this process with a 32 MB young generation: with the default 16 MB it
// ran 23–27 scavenges of its own (ApiClient and zod work) during 200 rounds, 6–13 of them inside a
// measured round and so counted as push latency; with 32 MB, one in 200 rounds. It also passes
// --expose-gc, so this process empties its young generation between rounds (lib/approval-rounds.ts).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { launchStubOnScratchDatabase } from '../server-stub/launcher';
import { type LoopDelay, monitorLoopDelay } from '../server-stub/loop-delay-report';
import { type ApprovalRounds, commitMillis, measureApprovals } from './lib/approval-rounds';
import { runWithDeadline, startBench } from './lib/bench-main';
import { CommitFloor } from './lib/commit-floor';
import { runFanoutWorker } from './lib/fanout-worker';
import { openMeasuringClient } from './lib/measuring-client';
import { fileLimitAllows, residentBytes } from './lib/proc';
import { mib, ms, printTable, type ReportRow, spread, TARGETS } from './lib/report';
import { type SignedIn, signInAll, tokenOf } from './lib/sign-in';
import { preciseNow, type Summary, summarize } from './lib/stats';
import { gcPauses, loopDelay, openLoopDelayWindow, stubLoopDelayReport } from './lib/stub-loop-delay';
import { WorkerLink } from './lib/worker-link';
import { FromWorker, type ToWorker } from './lib/worker-protocol';

const DEMO_USERS = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'admin'];
/** Demo users with no part in alice's claims reaching carol: the idle crowd when --load-users 0. */
const UNINVOLVED_DEMO_USERS = ['dave', 'erin', 'frank', 'grace', 'heidi', 'admin'];
const DEMO_PASSWORD = 'demo';
const ROOT = path.resolve(__dirname, '../..');

interface BenchOptions {
  clients: number;
  loadUsers: number;
  /** How many of the load users sign in and own the connections (the rest only receive events). */
  connectedUsers: number;
  crowdOnApprovers: boolean;
  /** The crowd says hello as clients from before the broadcast stream. */
  legacyClients: boolean;
  announcements: number;
  approvals: number;
  timeoutSeconds: number;
  concurrency: number;
  signInConcurrency: number;
  sync: string;
  /** Directory for V8 CPU profiles of the stub and the worker (--cpu-prof), or null. */
  profileDir: string | null;
}

const USAGE = `Usage: npm run bench:fanout -- [options]
  --clients <n>               idle stream connections (default 5000)
  --load-users <n>            load-test users the stub seeds (default 500). 0 spreads the
                              connections over the demo users not involved in the approvals
  --legacy-clients            the crowd speaks v1 without the broadcast stream (announcements are
                              then absorbed into each connected user's own stream)
  --announcements <n>         announcements whose stub write time is measured (default 20)
  --connected-users <n>       how many load users sign in and own the connections (default: all
                              load users, at most 500; each sign-in costs the stub one scrypt)
  --crowd-on-approvers        worst case: spread the connections over all nine demo users, so the
                              measured approvers have ~n/9 desktops each
  --approvals <n>             sequential approvals measured (default 200)
  --concurrency <n>           connection handshakes in flight (default 200)
  --sign-in-concurrency <n>   sign-ins in flight (default 8; each is one scrypt on the stub)
  --sync full|normal          the stub's SQLite synchronous mode (default full)
  --profile <dir>             write V8 CPU profiles of the stub and the worker there
  --timeout <s>               abort after this long (default 180)`;

function parseOptions(): BenchOptions {
  const { values } = parseArgs({
    options: {
      clients: { type: 'string', default: '5000' },
      'load-users': { type: 'string', default: '500' },
      'connected-users': { type: 'string' },
      'crowd-on-approvers': { type: 'boolean', default: false },
      'legacy-clients': { type: 'boolean', default: false },
      announcements: { type: 'string', default: '20' },
      approvals: { type: 'string', default: '200' },
      timeout: { type: 'string', default: '180' },
      concurrency: { type: 'string', default: '200' },
      'sign-in-concurrency': { type: 'string', default: '8' },
      sync: { type: 'string', default: 'full' },
      profile: { type: 'string' },
      worker: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return number;
  };
  if (values.sync !== 'full' && values.sync !== 'normal') throw new Error('--sync must be full or normal');
  const crowdOnApprovers = values['crowd-on-approvers'];
  // The worst case needs no load users; don't pay for their sign-ins.
  const loadUsers = crowdOnApprovers ? 0 : int('load-users', values['load-users'], 0);
  const connectedUsers = values['connected-users']
    ? int('connected-users', values['connected-users'], 1)
    : Math.min(loadUsers, 500);
  if (connectedUsers > loadUsers && loadUsers > 0)
    throw new Error('--connected-users must be ≤ --load-users');
  return {
    clients: int('clients', values.clients, 1),
    loadUsers,
    connectedUsers,
    crowdOnApprovers,
    legacyClients: values['legacy-clients'],
    announcements: int('announcements', values.announcements, 1),
    approvals: int('approvals', values.approvals, 1),
    timeoutSeconds: int('timeout', values.timeout, 10),
    concurrency: int('concurrency', values.concurrency, 1),
    signInConcurrency: int('sign-in-concurrency', values['sign-in-concurrency'], 1),
    sync: values.sync,
    profileDir: values.profile ? path.resolve(values.profile) : null,
  };
}

interface ApprovalTimings extends ApprovalRounds {
  /** One synchronous=FULL WAL insert between rounds: the commit latency no push can beat. */
  commitFloor: Summary;
}

/** Approval rounds with the disk's commit floor sampled between them (nothing in flight then). */
async function measureApprovalsBesideFloor(
  streamUrl: string,
  people: SignedIn,
  count: number,
): Promise<ApprovalTimings> {
  const floor = new CommitFloor();
  try {
    const rounds = await measureApprovals(streamUrl, people, count, () => floor.sample());
    return { ...rounds, commitFloor: floor.summary() };
  } finally {
    floor.close();
  }
}

/**
 * Sequential announcements with the crowd connected; each one's write transaction at the stub, commit
 * included, as the stub reports it in `Server-Timing: commit;dur=<ms>`. Null when it does not.
 */
async function measureAnnouncementWrites(
  url: string,
  people: SignedIn,
  count: number,
): Promise<Summary | null> {
  const token = tokenOf(people, 'admin');
  const durations: number[] = [];
  for (let i = 0; i < count; i++) {
    const response = await fetch(`${url}/api/v1/announcements`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: `Write time ${i}`, body: 'Fan-out benchmark' }),
    });
    await response.arrayBuffer();
    // commit = the write transaction, commit included; the push stage after it is delivery.
    const commit = commitMillis(response.headers.get('server-timing'));
    if (!response.ok || commit === null) return null;
    durations.push(commit);
    await settle(200); // let the delivery of one finish before the next
  }
  return summarize(durations);
}

async function settle(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

function loadUserId(index: number): string {
  return `load${String(index).padStart(5, '0')}`;
}

async function runBenchmark(options: BenchOptions): Promise<boolean> {
  if (!fileLimitAllows(options.clients)) return false;

  // Sampled every 100 µs (default 1 ms): an approval takes about a millisecond end to end.
  const nodeArgs = options.profileDir
    ? ['--cpu-prof', '--cpu-prof-interval', '100', '--cpu-prof-dir', options.profileDir]
    : [];
  const stubArgs = ['--host', '127.0.0.1', '--sync', options.sync, '--report-loop-delay'];
  if (options.loadUsers > 0) stubArgs.push('--load-users', String(options.loadUsers));
  // A generous start-up allowance: 10,000 load users on a loaded shared machine take a while.
  const stub = await launchStubOnScratchDatabase({
    root: ROOT,
    port: 0,
    args: stubArgs,
    nodeArgs,
    readyTimeoutMs: 120_000,
  });
  const stubPid = stub.child.pid!;
  const worker = WorkerLink.forkSelf<FromWorker, ToWorker>(
    '--worker',
    FromWorker,
    { type: 'close' },
    nodeArgs,
  );
  try {
    const streamUrl = `${stub.url.replace('http', 'ws')}/api/v1/stream`;
    console.log(`stub pid ${stubPid} at ${stub.url} (sync ${options.sync}); worker pid ${worker.child.pid}`);

    const crowdOwners = options.crowdOnApprovers
      ? DEMO_USERS
      : options.loadUsers > 0
        ? Array.from({ length: options.connectedUsers }, (_, i) => loadUserId(i + 1))
        : UNINVOLVED_DEMO_USERS;
    const people = await signInAll(
      stub.url,
      [...new Set([...DEMO_USERS, ...crowdOwners])],
      DEMO_PASSWORD,
      options.signInConcurrency,
    );
    console.log(
      `signed in ${people.clients.size} users in ${(people.elapsedMs / 1000).toFixed(1)} s ` +
        `(${(people.elapsedMs / people.clients.size).toFixed(1)} ms each at ${options.signInConcurrency} in flight)`,
    );

    // Warm the stream path once so the baseline includes loaded code, not just an idle heap.
    const warm = await openMeasuringClient(streamUrl, tokenOf(people, 'heidi'));
    warm.close();
    await settle(1_000);
    const rssBefore = residentBytes(stubPid) ?? Number.NaN;

    worker.send({
      type: 'connect',
      urls: [streamUrl],
      tokens: crowdOwners.map((name) => tokenOf(people, name)),
      clients: options.clients,
      concurrency: options.concurrency,
      legacyHello: options.legacyClients,
    });
    const connected = await worker.next('connected');
    console.log(
      `connected ${connected.connected}/${options.clients} clients in ${(connected.elapsedMs / 1000).toFixed(1)} s` +
        (connected.failed ? ` (${connected.failed} failed: ${connected.firstError})` : ''),
    );
    await settle(3_000);
    const rssAfter = residentBytes(stubPid) ?? Number.NaN;
    const perConnection = (rssAfter - rssBefore) / Math.max(1, connected.connected);

    // (b) one announcement to everyone.
    const marker = `bench-${Date.now()}`;
    worker.send({ type: 'arm', marker });
    await worker.next('armed');
    const sentAt = preciseNow();
    await people.clients.get('admin')!.announce({ title: marker, body: 'Fan-out benchmark' });
    worker.send({ type: 'collect', timeoutMs: 10_000 });
    const received = await worker.next('received');
    const delivery = summarize(received.times.map((t) => t - sentAt));
    const announceWrite = await measureAnnouncementWrites(stub.url, people, options.announcements);

    // (c) approvals with the crowd connected, then again without it for reference. Both event loops'
    // delay is taken over the loaded approvals only (SIGUSR2 starts and ends the stub's window).
    openLoopDelayWindow(stubPid);
    const benchLoop = monitorLoopDelay();
    const loaded = await measureApprovalsBesideFloor(streamUrl, people, options.approvals);
    const benchLoopDelay = benchLoop.read();
    benchLoop.stop();
    const stubLoopDelay = await stubLoopDelayReport(stubPid, stub.output);
    await worker.stop();
    await settle(1_000); // let the stub see the closes before measuring without them
    const alone = await measureApprovalsBesideFloor(streamUrl, people, options.approvals);

    return printReport({
      options,
      owners: crowdOwners.length,
      connected: connected.connected,
      connectMs: connected.elapsedMs,
      rssBefore,
      rssAfter,
      perConnection,
      delivery,
      announceWrite,
      received: received.times.length,
      dropped: received.dropped,
      loaded,
      alone,
      stubLoopDelay,
      benchLoopDelay,
    });
  } finally {
    await worker.stop();
    await stub.stop();
  }
}

interface Report {
  options: BenchOptions;
  owners: number;
  connected: number;
  connectMs: number;
  rssBefore: number;
  rssAfter: number;
  perConnection: number;
  delivery: Summary;
  /** Stub-side write transaction of POST /announcements (Server-Timing), ms; null if not reported. */
  announceWrite: Summary | null;
  received: number;
  dropped: number;
  loaded: ApprovalTimings;
  alone: ApprovalTimings;
  stubLoopDelay: LoopDelay | null;
  benchLoopDelay: LoopDelay;
}

function printReport(r: Report): boolean {
  const n = r.options.clients;
  const allConnected = r.connected === n;
  const allReceived = r.received === r.connected && r.connected > 0;
  const approval = r.loaded.approvePush;
  const approvalLabel = r.options.crowdOnApprovers
    ? `WORST CASE (~${Math.round(n / 9)} desktops per approver) approve → push`
    : 'approve → claim.assigned pushed';
  const rows: ReportRow[] = [
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
    [
      `announcement write at the stub (transaction + commit) p50 / p99 / max (n=${r.announceWrite?.count ?? 0})`,
      r.announceWrite ? spread(r.announceWrite) : 'not reported',
      '',
      null,
    ],
    [`${approvalLabel} p50 (n=${approval.count})`, ms(approval.p50), '', null],
    [
      `${approvalLabel} p99`,
      ms(approval.p99),
      // The target is about one person's desktops; the worst case is reported, not judged.
      r.options.crowdOnApprovers ? '' : `≤ ${TARGETS.approvalP99Ms} ms`,
      r.options.crowdOnApprovers ? null : approval.p99 <= TARGETS.approvalP99Ms,
    ],
    [`${approvalLabel} max`, ms(approval.max), '', null],
    [
      'commit floor: WAL insert, synchronous=FULL, same disk, same run p50 / p99 / max',
      spread(r.loaded.commitFloor),
      '(floor)',
      null,
    ],
    [
      "each approval's own transaction + commit at the stub (Server-Timing) p50 / p99 / max",
      spread(r.loaded.approveCommit),
      '',
      null,
    ],
    [
      'approve → push less its own transaction (request, push, client, scheduling) p50 / p99 / max',
      spread(r.loaded.approvePushBesideCommit),
      '',
      null,
    ],
    ['stub event-loop delay during these approvals p50 / p99 / max', loopDelay(r.stubLoopDelay), '', null],
    ['bench process event-loop delay, same window', loopDelay(r.benchLoopDelay), '', null],
    ['stub GC pauses during these approvals: count, longest, sum', gcPauses(r.stubLoopDelay), '', null],
    ['bench process GC pauses, same window', gcPauses(r.benchLoopDelay), '', null],
    ['approve HTTP round trip p50 / p99 / max', spread(r.loaded.approveHttp), '', null],
    ['submit → bob pushed p50 / p99 / max', spread(r.loaded.submitPush), '', null],
    ['idle crowd gone: approve → push p50 / p99 / max', spread(r.alone.approvePush), '(reference)', null],
  ];
  const crowd = r.options.crowdOnApprovers
    ? 'crowd on all 9 demo users (worst case)'
    : `crowd on ${r.owners} users not involved in the approvals (~${Math.round(n / r.owners)} each)`;
  const org = `${r.options.loadUsers + DEMO_USERS.length} users in the org${r.options.legacyClients ? ', clients without the broadcast stream' : ''}`;
  return printTable(`Fan-out benchmark: ${n} clients, ${crowd}, ${org}, sync=${r.options.sync}`, rows);
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) {
    runFanoutWorker();
    return;
  }
  const options = parseOptions();
  await runWithDeadline('bench:fanout', options.timeoutSeconds, () => runBenchmark(options));
}

startBench('bench:fanout', main);
