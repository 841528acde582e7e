// bench:cluster's command line. Apart from the benchmark itself so that its rules (the cluster's
// database kind, bounds) can be checked without starting anything.
import { parseArgs } from 'node:util';

export const CLUSTER_DB_KINDS = ['postgres', 'sqlite'] as const;
export type ClusterDbKind = (typeof CLUSTER_DB_KINDS)[number];

export interface ClusterBenchOptions {
  clients: number;
  /** Load-test users the stub seeds; they sign in and own the idle connections. */
  loadUsers: number;
  clusterDb: ClusterDbKind;
  /** amqp:// URL of a running broker, or null: scripts/start-rabbitmq.sh starts or reuses one. */
  broker: string | null;
  announcements: number;
  approvals: number;
  timeoutSeconds: number;
  concurrency: number;
  signInConcurrency: number;
}

export const DEFAULT_BROKER = 'amqp://guest:guest@127.0.0.1:5672';

export const CLUSTER_USAGE = `Usage: npm run bench:cluster -- [options]
Two stub nodes on one database with RabbitMQ between them, then one stub on SQLite, in the same run,
each with the same idle crowd; prints both side by side.
  --clients <n>               idle stream connections, split evenly over the cluster's two nodes
                              (all on the one node in the single-node run) (default 10000)
  --cluster-db postgres|sqlite  the cluster's shared database: a fresh PostgreSQL database from
                              scripts/start-postgres.sh --new-database, or one SQLite file
                              (default postgres)
  --broker <amqp-url>         a running RabbitMQ (default: scripts/start-rabbitmq.sh starts or
                              reuses one on ${DEFAULT_BROKER})
  --load-users <n>            load-test users who sign in and own the connections (default 200;
                              each sign-in costs the stub one scrypt)
  --announcements <n>         announcements delivered to the whole crowd, per setup (default 5)
  --approvals <n>             sequential approval rounds per row (default 200)
  --concurrency <n>           connection handshakes in flight (default 200)
  --sign-in-concurrency <n>   sign-ins in flight (default 8)
  --timeout <s>               abort after this long (default 900)`;

/** The options, or 'help'; throws an Error naming the flag on a bad value. */
export function parseClusterOptions(argv: readonly string[]): ClusterBenchOptions | 'help' {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      clients: { type: 'string', default: '10000' },
      'cluster-db': { type: 'string', default: 'postgres' },
      broker: { type: 'string' },
      'load-users': { type: 'string', default: '200' },
      announcements: { type: 'string', default: '5' },
      approvals: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '200' },
      'sign-in-concurrency': { type: 'string', default: '8' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const int = (name: string, value: string, min: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return number;
  };
  const clusterDb = CLUSTER_DB_KINDS.find((kind) => kind === values['cluster-db']);
  if (!clusterDb) throw new Error(`--cluster-db must be one of ${CLUSTER_DB_KINDS.join(', ')}`);
  if (values.broker !== undefined && !/^amqps?:\/\//.test(values.broker)) {
    throw new Error('--broker must be an amqp:// or amqps:// URL');
  }
  return {
    // Two nodes: at least one connection each.
    clients: int('clients', values.clients, 2),
    loadUsers: int('load-users', values['load-users'], 1),
    clusterDb,
    broker: values.broker ?? null,
    announcements: int('announcements', values.announcements, 1),
    approvals: int('approvals', values.approvals, 1),
    concurrency: int('concurrency', values.concurrency, 1),
    signInConcurrency: int('sign-in-concurrency', values['sign-in-concurrency'], 1),
    timeoutSeconds: int('timeout', values.timeout, 10),
  };
}
