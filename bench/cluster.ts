// `npm run bench:cluster [-- --clients 10000 --cluster-db postgres|sqlite]`: the reference backend as
// a two-node cluster (docs/cluster.md) beside one node on SQLite, in the same run, on this machine.
// First two stub nodes on one database (a fresh PostgreSQL database, or one SQLite file) with
// `--broker` on one RabbitMQ; then one stub on its own SQLite file. Against each setup in turn, a
// separate worker process (bench:fanout's) opens --clients idle stream connections, split evenly over
// the nodes, owned by --load-users load users; then the bench measures:
//   (a) approval → next approver's push: alice submits and bob approves over HTTP on node B while
//       carol's desktop is connected to node A (across nodes, through the broker), then the same with
//       every desktop on node B (same node); p50/p99/max over --approvals rounds each;
//   (b) --announcements announcements, each posted on node B, delivered to every idle client on both
//       nodes: whether all got each one, and the delivery time p50/p99/max, in all and per node;
//   (c) memory per idle connection per node: VmRSS with the crowd minus before, over that node's
//       connections.
// Beside them, sampled between approval rounds (nothing in flight) in the same run: the floors no push
// can beat on this machine — a synchronous=FULL SQLite WAL commit on this disk (as bench:fanout), a
// RabbitMQ publish → consume round trip on loopback, and with PostgreSQL one committed insert there —
// and each stub's event-loop delay over the rounds.
// Loopback only; bounded in connections and rounds; aborts after --timeout seconds.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LaunchedStub, launchStub, launchStubOnScratchDatabase } from '../server-stub/launcher';
import type { LoopDelay } from '../server-stub/loop-delay-report';
import { DEMO_PASSWORD } from '../server-stub/org/demo-org';
import { loadUserId } from '../server-stub/org/load-users';
import { type ApprovalRounds, measureApprovals } from './lib/approval-rounds';
import { runWithDeadline, startBench } from './lib/bench-main';
import { BrokerFloor } from './lib/broker-floor';
import {
  CLUSTER_USAGE,
  type ClusterBenchOptions,
  type ClusterDbKind,
  DEFAULT_BROKER,
  parseClusterOptions,
} from './lib/cluster-options';
import { CommitFloor } from './lib/commit-floor';
import { runFanoutWorker } from './lib/fanout-worker';
import { openMeasuringClient } from './lib/measuring-client';
import { PostgresCommitFloor } from './lib/postgres-floor';
import { fileLimitAllows, residentBytes } from './lib/proc';
import { mib, printColumns, spread } from './lib/report';
import { signInAll, tokenOf } from './lib/sign-in';
import { preciseNow, type Summary, summarize } from './lib/stats';
import { loopDelay, openLoopDelayWindow, stubLoopDelayReport } from './lib/stub-loop-delay';
import { WorkerLink } from './lib/worker-link';
import { FromWorker, type ToWorker } from './lib/worker-protocol';

const ROOT = path.resolve(__dirname, '../..');
/** alice submits, bob approves, carol is the next approver, admin announces. */
const ACTORS = ['alice', 'bob', 'carol', 'admin'];
const READY_TIMEOUT_MS = 120_000;

/** A floor sampled between approval rounds. */
interface Floor {
  label: string;
  sample(): void | Promise<void>;
  summary(): Summary;
  close(): void | Promise<void>;
}

/** The stubs of one setup. The last node takes every HTTP call ("node B"); the first is "node A". */
interface Setup {
  column: string;
  nodes: LaunchedStub[];
  floors: Floor[];
  stop(): Promise<void>;
}

interface ClusterDatabase {
  /** What `--db` gets: a file path or a postgres:// URL. */
  location: string;
  label: string;
  /** Floors that only this database has (a PostgreSQL commit), opened once the nodes run on it. */
  floors(): Promise<Floor[]>;
  dispose(): Promise<void>;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const streamUrl = (node: LaunchedStub) => `${node.url.replace('http', 'ws')}/api/v1/stream`;
const commitFloor = (): Floor =>
  Object.assign(new CommitFloor(), { label: 'SQLite WAL insert committed, synchronous=FULL, this disk' });

/** Flags every node gets; SQLite's durability is set as bench:fanout sets it. */
function nodeArgs(options: ClusterBenchOptions, sqlite: boolean): string[] {
  const args = ['--host', '127.0.0.1', '--report-loop-delay', '--load-users', String(options.loadUsers)];
  return sqlite ? [...args, '--sync', 'full'] : args;
}

/** A setup that could not start says which one and why, before anything is measured. */
class SetupFailed extends Error {}

function startBroker(options: ClusterBenchOptions): string {
  if (options.broker) return options.broker;
  try {
    execFileSync(path.join(ROOT, 'scripts/start-rabbitmq.sh'), { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch (error) {
    throw new SetupFailed(`RabbitMQ: scripts/start-rabbitmq.sh failed (${(error as Error).message})`);
  }
  return DEFAULT_BROKER;
}

function clusterDatabase(kind: ClusterDbKind): ClusterDatabase {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-cluster-bench-'));
    return {
      location: path.join(dir, 'cluster.sqlite'),
      label: 'one SQLite file',
      // The SQLite commit floor is sampled in every setup already.
      floors: async () => [],
      dispose: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const script = path.join(ROOT, 'scripts/start-postgres.sh');
  let url: string | undefined;
  try {
    url = execFileSync(script, ['--new-database'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
      timeout: 180_000,
    })
      .trim()
      .split('\n')
      .at(-1);
  } catch (error) {
    throw new SetupFailed(
      `--cluster-db postgres: scripts/start-postgres.sh --new-database failed (${(error as Error).message})`,
    );
  }
  if (!url?.startsWith('postgres')) {
    throw new SetupFailed(
      `--cluster-db postgres: scripts/start-postgres.sh --new-database printed no postgres:// URL (${url})`,
    );
  }
  const location = url;
  return {
    location,
    label: 'PostgreSQL',
    floors: async () => [
      Object.assign(await PostgresCommitFloor.open(location), {
        label: 'PostgreSQL insert committed, round trip included',
      }),
    ],
    // The script's own drop (FORCE: a node that did not let go in time must not keep it alive).
    dispose: async () => {
      execFileSync(script, ['--drop-database', new URL(location).pathname.slice(1)], {
        stdio: ['ignore', 'ignore', 'inherit'],
      });
    },
  };
}

async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new SetupFailed(`timed out waiting for ${what}`);
    await settle(50);
  }
}

async function startCluster(options: ClusterBenchOptions, broker: string): Promise<Setup> {
  const db = clusterDatabase(options.clusterDb);
  const nodes: LaunchedStub[] = [];
  const floors: Floor[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((node) => node.stop()));
    for (const floor of floors) await floor.close();
    await db.dispose();
  };
  try {
    const launch = () =>
      launchStub({
        root: ROOT,
        port: 0,
        dbPath: db.location,
        args: [...nodeArgs(options, options.clusterDb === 'sqlite'), '--broker', broker],
        readyTimeoutMs: READY_TIMEOUT_MS,
      });
    // The first node migrates the database and seeds the users; the second then starts on it.
    nodes.push(await launch());
    nodes.push(await launch());
    await until(
      () => nodes.every((node) => node.output().includes('broker connected')),
      `both nodes to connect to the broker at ${broker}`,
      30_000,
    );
    floors.push(commitFloor(), ...(await db.floors()));
    floors.push(
      Object.assign(await BrokerFloor.open(broker), { label: 'RabbitMQ publish → consume round trip' }),
    );
  } catch (error) {
    await stop();
    const why = error instanceof Error ? error.message : String(error);
    throw new SetupFailed(`the cluster on ${db.label} did not start: ${why}`);
  }
  return { column: `cluster (2 nodes, ${db.label} + RabbitMQ)`, nodes, floors, stop };
}

async function startSingleNode(options: ClusterBenchOptions): Promise<Setup> {
  const node = await launchStubOnScratchDatabase({
    root: ROOT,
    port: 0,
    args: nodeArgs(options, true),
    readyTimeoutMs: READY_TIMEOUT_MS,
  });
  const floors = [commitFloor()];
  return {
    column: 'single node (SQLite)',
    nodes: [node],
    floors,
    async stop() {
      await node.stop();
      for (const floor of floors) floor.close();
    },
  };
}

interface SetupResult {
  column: string;
  nodes: number;
  connected: number;
  connectedByNode: number[];
  connectMs: number;
  firstError: string | null;
  rssBefore: number[];
  rssAfter: number[];
  /** Per announcement: how many clients got it. */
  receivedBy: number[];
  delivery: Summary;
  deliveryByNode: Summary[];
  /** Desktops on node A, HTTP on node B; null with one node. */
  across: ApprovalRounds | null;
  /** Desktops and HTTP on node B. */
  same: ApprovalRounds;
  loopDelayByNode: Array<LoopDelay | null>;
  floors: Map<string, Summary>;
}

async function measureSetup(setup: Setup, options: ClusterBenchOptions): Promise<SetupResult> {
  const { nodes } = setup;
  const nodeA = nodes[0]!;
  const nodeB = nodes.at(-1)!;
  console.log(`\n${setup.column}: ${nodes.map((node) => `pid ${node.child.pid} at ${node.url}`).join(', ')}`);

  const owners = Array.from({ length: options.loadUsers }, (_, i) => loadUserId(i + 1));
  // Tokens issued by one node are good on every node: the sessions live in the shared database.
  const people = await signInAll(nodeB.url, [...ACTORS, ...owners], DEMO_PASSWORD, options.signInConcurrency);
  console.log(`signed in ${people.clients.size} users in ${(people.elapsedMs / 1000).toFixed(1)} s`);

  // Warm each node's stream path once so the baseline includes loaded code, not just an idle heap.
  for (const node of nodes) (await openMeasuringClient(streamUrl(node), tokenOf(people, 'admin'))).close();
  await settle(1_000);
  const rssBefore = nodes.map((node) => residentBytes(node.child.pid!) ?? Number.NaN);

  const worker = WorkerLink.forkSelf<FromWorker, ToWorker>('--worker', FromWorker, { type: 'close' });
  try {
    worker.send({
      type: 'connect',
      urls: nodes.map(streamUrl),
      tokens: owners.map((name) => tokenOf(people, name)),
      clients: options.clients,
      concurrency: options.concurrency,
    });
    const connected = await worker.next('connected');
    console.log(
      `connected ${connected.connected}/${options.clients} clients (${connected.connectedByUrl.join(' + ')}) ` +
        `in ${(connected.elapsedMs / 1000).toFixed(1)} s` +
        (connected.failed ? ` (${connected.failed} failed: ${connected.firstError})` : ''),
    );
    await settle(3_000);
    const rssAfter = nodes.map((node) => residentBytes(node.child.pid!) ?? Number.NaN);

    // (b) announcements posted on node B, each delivered before the next.
    const admin = people.clients.get('admin')!;
    const receivedBy: number[] = [];
    const deliveries = nodes.map((): number[] => []);
    for (let i = 0; i < options.announcements; i++) {
      const marker = `cluster-bench-${i}-${Date.now()}`;
      worker.send({ type: 'arm', marker });
      await worker.next('armed');
      const sentAt = preciseNow();
      await admin.announce({ title: marker, body: 'Cluster benchmark' });
      worker.send({ type: 'collect', timeoutMs: 15_000 });
      const received = await worker.next('received');
      receivedBy.push(received.times.length);
      received.timesByUrl.forEach((times, node) => {
        deliveries[node]!.push(...times.map((t) => t - sentAt));
      });
      await settle(500);
    }

    // (a) approvals with the crowd connected; the floors between rounds; each stub's loop delay over them.
    const sampleFloors = async () => {
      for (const floor of setup.floors) await floor.sample();
    };
    for (const node of nodes) openLoopDelayWindow(node.child.pid!);
    const across =
      nodes.length > 1
        ? await measureApprovals(streamUrl(nodeA), people, options.approvals, sampleFloors)
        : null;
    const same = await measureApprovals(streamUrl(nodeB), people, options.approvals, sampleFloors);
    const loopDelayByNode = await Promise.all(
      nodes.map((node) => stubLoopDelayReport(node.child.pid!, node.output)),
    );

    return {
      column: setup.column,
      nodes: nodes.length,
      connected: connected.connected,
      connectedByNode: connected.connectedByUrl,
      connectMs: connected.elapsedMs,
      firstError: connected.firstError,
      rssBefore,
      rssAfter,
      receivedBy,
      delivery: summarize(deliveries.flat()),
      deliveryByNode: deliveries.map((times) => summarize(times)),
      across,
      same,
      loopDelayByNode,
      floors: new Map(setup.floors.map((floor) => [floor.label, floor.summary()])),
    };
  } finally {
    await worker.stop();
  }
}

const NOT_APPLICABLE = '—';
const NODE_NAMES = ['A', 'B'];

/** One value per node: alone for a single node, "A …, B …" for the cluster. */
function perNode(r: SetupResult, cell: (node: number) => string): string {
  if (r.nodes === 1) return cell(0);
  return Array.from({ length: r.nodes }, (_, node) => `${NODE_NAMES[node]} ${cell(node)}`).join(', ');
}

/** The comparison table's rows: metric, then one cell per setup (cluster first). */
function comparisonRows(results: readonly SetupResult[], options: ClusterBenchOptions): string[][] {
  const row = (metric: string, cell: (r: SetupResult) => string) => [metric, ...results.map(cell)];
  const clusterOnly = (cell: (r: SetupResult) => string) => (r: SetupResult) =>
    r.nodes > 1 ? cell(r) : NOT_APPLICABLE;
  const floorLabels = [...new Set(results.flatMap((r) => [...r.floors.keys()]))];
  const n = options.approvals;
  return [
    row('clients connected (hello → welcome)', (r) =>
      [
        `${r.connected} / ${options.clients}`,
        r.nodes > 1 ? ` (${perNode(r, (node) => String(r.connectedByNode[node]))})` : '',
        ` in ${(r.connectMs / 1000).toFixed(1)} s`,
        r.firstError ? `; first error: ${r.firstError}` : '',
      ].join(''),
    ),
    row('stub RSS idle → with clients', (r) =>
      perNode(r, (node) => `${mib(r.rssBefore[node]!)} → ${mib(r.rssAfter[node]!)}`),
    ),
    row('memory per idle connection (RSS delta / its connections)', (r) =>
      perNode(
        r,
        (node) =>
          `${((r.rssAfter[node]! - r.rssBefore[node]!) / Math.max(1, r.connectedByNode[node]!) / 1024).toFixed(1)} KB`,
      ),
    ),
    row(`announcements that reached every client (of ${options.announcements})`, (r) => {
      const all = r.receivedBy.filter((count) => count === r.connected).length;
      return `${all} (fewest clients reached: ${Math.min(...r.receivedBy)} / ${r.connected})`;
    }),
    row('announcement delivery, all clients p50 / p99 / max', (r) => spread(r.delivery)),
    row(
      'announcement delivery, clients on node A (via RabbitMQ)',
      clusterOnly((r) => spread(r.deliveryByNode[0]!)),
    ),
    row(
      'announcement delivery, clients on node B (posted there)',
      clusterOnly((r) => spread(r.deliveryByNode[1]!)),
    ),
    row(`approve → next approver's push, across nodes (HTTP on B, desktop on A) (n=${n})`, (r) =>
      r.across ? spread(r.across.approvePush) : `${NOT_APPLICABLE} (one node)`,
    ),
    row(`approve → next approver's push, same node (n=${n})`, (r) => spread(r.same.approvePush)),
    row('submit → first approver pushed, across nodes', (r) =>
      r.across ? spread(r.across.submitPush) : NOT_APPLICABLE,
    ),
    row('submit → first approver pushed, same node', (r) => spread(r.same.submitPush)),
    row('approve HTTP round trip (same node)', (r) => spread(r.same.approveHttp)),
    row('stub event-loop delay during the approvals', (r) =>
      perNode(r, (node) => loopDelay(r.loopDelayByNode[node] ?? null)),
    ),
    ...floorLabels.map((label) =>
      row(`floor: ${label} (between rounds)`, (r) => {
        const floor = r.floors.get(label);
        return floor ? spread(floor) : NOT_APPLICABLE;
      }),
    ),
  ];
}

const loadAverage = () =>
  os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ');

async function runBenchmark(options: ClusterBenchOptions): Promise<boolean> {
  if (!fileLimitAllows(options.clients)) return false;
  console.log(`load average at start (1, 5, 15 min): ${loadAverage()}; ${os.cpus().length} CPUs`);
  const broker = startBroker(options);

  // The cluster first: if it cannot start, nothing else is worth the wait.
  const results: SetupResult[] = [];
  for (const start of [() => startCluster(options, broker), () => startSingleNode(options)]) {
    const setup = await start();
    try {
      results.push(await measureSetup(setup, options));
    } finally {
      await setup.stop();
    }
  }

  printColumns(
    `Cluster benchmark: ${options.clients} idle clients per setup (split evenly over the cluster's nodes), ` +
      `${options.loadUsers} load users; every HTTP call on node B; all times p50 / p99 / max; ` +
      `load average at the end: ${loadAverage()}`,
    ['metric', ...results.map((r) => r.column)],
    comparisonRows(results, options),
  );
  // No targets here (bench:fanout has them): only "everyone connected and got every announcement".
  return results.every(
    (r) => r.connected === options.clients && r.receivedBy.every((c) => c === r.connected),
  );
}

async function main(): Promise<void> {
  if (process.argv.includes('--worker')) {
    runFanoutWorker();
    return;
  }
  const options = parseClusterOptions(process.argv.slice(2));
  if (options === 'help') {
    console.log(CLUSTER_USAGE);
    return;
  }
  await runWithDeadline('bench:cluster', options.timeoutSeconds, async () => {
    try {
      return await runBenchmark(options);
    } catch (error) {
      if (!(error instanceof SetupFailed)) throw error;
      console.error(`\nbench:cluster: ${error.message}`);
      return false;
    }
  });
}

startBench('bench:cluster', main);
