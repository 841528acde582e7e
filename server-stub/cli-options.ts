// Command-line and environment configuration of the stub, parsed with node:util parseArgs and
// validated with zod so a typo fails with a message instead of a strange default.
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { NUDGE_AFTER_MS } from '../protocol/nudge';
import { MAX_HEARTBEAT_SECONDS } from '../protocol/stream';
import { DEFAULT_POLICY, loadPolicyFile } from './claims/policy-config';
import { DEV_IDP_DEFAULTS, DEV_IDP_SCOPES } from './idp/dev-idp';
import { MAX_LOAD_USERS } from './org/load-users';
import { formatReadyLine } from './ready-line';
import { STUB_DEFAULTS, type StubServerOptions } from './server';

export const HELP_TEXT = `Signoff reference approval backend (stub)

Usage: node dist/server-stub/server-cli.js [options]

  --host <host>              interface to bind (env SIGNOFF_STUB_HOST; default ${STUB_DEFAULTS.host})
  --port <port>              TCP port, 0 = any free port (env SIGNOFF_STUB_PORT; default ${STUB_DEFAULTS.port})
  --db <path-or-url>         SQLite file, :memory:, or postgres://user:password@host:port/database
                             (several nodes may share one; docs/cluster.md) (env SIGNOFF_STUB_DB;
                             default ${STUB_DEFAULTS.dbPath})
  --heartbeat-seconds <n>    WebSocket heartbeat interval, 1–${MAX_HEARTBEAT_SECONDS} (default ${STUB_DEFAULTS.heartbeatSeconds})
  --token-ttl-seconds <n>    session lifetime (default ${STUB_DEFAULTS.tokenTtlSeconds})
  --event-retention <n>      events kept per user (default ${STUB_DEFAULTS.eventRetention})
  --sync normal|full         SQLite synchronous mode; full survives power loss (default ${STUB_DEFAULTS.sync})
  --allow-remote-demo        bind a non-loopback host even though demo passwords are in use
  --headers-timeout-ms <n>   a request whose headers are not complete this long after the connection
                             opened (or the previous response) is cut off with 408 (default ${STUB_DEFAULTS.headersTimeoutMs})
  --request-timeout-ms <n>   the same for the whole request, body included; not the response, so
                             long-polls are unaffected; must be >= the headers timeout (default ${STUB_DEFAULTS.requestTimeoutMs})
  --keep-alive-timeout-ms <n>  idle keep-alive connections are closed after this (default ${STUB_DEFAULTS.keepAliveTimeoutMs})
  --load-users <n>           also seed n throwaway load-test users load00001… (Load department,
                             supervisor heidi, demo password; for benchmarks only; default 0)
  --demo-delegation          seed the demo's delegation in force (Heidi Xu out of office for two
                             weeks, Carol Wang covering) into a store that never had one; ./demo does
  --with-idp                 also start the development identity provider (single sign-on for the
                             demo users, same passwords) and accept its access tokens
  --idp-port <n>             its port, 0 = any free port (default ${DEV_IDP_DEFAULTS.port})
  --idp-access-token-ttl-seconds <n>  lifetime of its access tokens (default ${DEV_IDP_DEFAULTS.accessTokenTtlSeconds})
  --oidc-issuer <url>        accept access tokens (JWT, checked against the issuer's JWKS) from this
                             identity provider and advertise it in /info; needs --oidc-client-id
  --oidc-audience <aud>      the aud those tokens must carry (default ${DEV_IDP_DEFAULTS.audience})
  --oidc-client-id <id>      Signoff's public client id at that provider
  --oidc-name <text>         shown as "Sign in with <text>" (default Company account)
  --oidc-scopes <list>       space-separated scopes to ask for (default ${DEV_IDP_SCOPES.join(' ')})
  --oidc-user-claim sub|preferred_username  the claim naming the user (default sub)
  --policy-file <path>       expense policy for the policy flags, JSON with any of "categoryLimits"
                             ({"meals": {"CNY": 150000}}: category → currency → limit in minor units),
                             "receiptThresholds" ({"CNY": 80000}: a receipt is needed above it) and
                             "maxExpenseAgeDays" (${DEFAULT_POLICY.maxExpenseAgeDays}); each part given replaces the demo
                             default (env SIGNOFF_STUB_POLICY_FILE; docs/protocol.md "Policy flags")
  --nudge-after-seconds <n>  how long a pending claim must wait at its current step before its
                             submitter may nudge (催办) its approvers; lower it for demos and tests
                             (default ${NUDGE_AFTER_MS / 1000}, i.e. 24 h; at most one nudge per claim per 24 h regardless)
  --broker <amqp-url>        run as one node of a cluster: publish every committed event to this
                             RabbitMQ broker and push other nodes' events to this node's clients
                             (env SIGNOFF_STUB_BROKER; all nodes share one --db; docs/cluster.md)
  --log                      log every HTTP request (never headers or bodies) and stream warnings,
                             as JSON lines
  --quiet                    print only the ready line and errors (stream warnings such as
                             slow-consumer cut-offs are dropped too)
  --report-loop-delay        for benchmarks: on SIGUSR2, print the event-loop delay (p50/p99/max)
                             and the GC pauses since the previous SIGUSR2 to stderr as one line
  --help                     show this text

Prints "${formatReadyLine('http://<host>:<port>')}" once it accepts connections.
Stops cleanly on SIGINT / SIGTERM.`;

const PositiveInt = z.coerce.number().int().positive();

const CliConfig = z
  .object({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65_535),
    db: z.string().min(1),
    // The contract bounds it (clients refuse a welcome above it), so the stub never offers more.
    heartbeatSeconds: PositiveInt.max(MAX_HEARTBEAT_SECONDS),
    tokenTtlSeconds: PositiveInt,
    eventRetention: PositiveInt,
    sync: z.enum(['normal', 'full']),
    allowRemoteDemo: z.boolean(),
    loadUsers: z.coerce.number().int().min(0).max(MAX_LOAD_USERS),
    log: z.boolean(),
    quiet: z.boolean(),
    reportLoopDelay: z.boolean(),
    headersTimeoutMs: PositiveInt,
    requestTimeoutMs: PositiveInt,
    keepAliveTimeoutMs: PositiveInt,
    withIdp: z.boolean(),
    demoDelegation: z.boolean(),
    idpPort: z.coerce.number().int().min(0).max(65_535),
    idpAccessTokenTtlSeconds: PositiveInt,
    oidcIssuer: z.url({ protocol: /^https?$/ }).optional(),
    oidcAudience: z.string().min(1),
    oidcClientId: z.string().min(1).optional(),
    oidcName: z.string().trim().min(1).max(64),
    oidcScopes: z.string().trim().min(1),
    oidcUserClaim: z.enum(['sub', 'preferred_username']),
    broker: z.url({ protocol: /^amqps?$/ }).optional(),
    nudgeAfterSeconds: z.coerce
      .number()
      .int()
      .min(0)
      .max(366 * 86_400),
  })
  .refine((config) => config.oidcIssuer === undefined || config.oidcClientId !== undefined, {
    path: ['oidc-client-id'],
    message: 'is required with --oidc-issuer',
  })
  .refine((config) => !(config.withIdp && config.oidcIssuer !== undefined), {
    path: ['with-idp'],
    message: 'and --oidc-issuer exclude each other (--with-idp trusts its own provider)',
  })
  // Node refuses a headers timeout longer than the request timeout; say so in flag terms.
  .refine((config) => config.headersTimeoutMs <= config.requestTimeoutMs, {
    path: ['headers-timeout-ms'],
    message: 'must not exceed --request-timeout-ms',
  });

export type CliCommand =
  | { kind: 'help' }
  | { kind: 'run'; quiet: boolean; reportLoopDelay: boolean; server: StubServerOptions };

/** Throws an Error with a human-readable message on bad flags or values. */
export function parseCliOptions(argv: string[], env: NodeJS.ProcessEnv): CliCommand {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      host: { type: 'string' },
      port: { type: 'string' },
      db: { type: 'string' },
      'heartbeat-seconds': { type: 'string' },
      'token-ttl-seconds': { type: 'string' },
      'event-retention': { type: 'string' },
      sync: { type: 'string' },
      'allow-remote-demo': { type: 'boolean' },
      'load-users': { type: 'string' },
      log: { type: 'boolean' },
      quiet: { type: 'boolean' },
      'report-loop-delay': { type: 'boolean' },
      'headers-timeout-ms': { type: 'string' },
      'request-timeout-ms': { type: 'string' },
      'keep-alive-timeout-ms': { type: 'string' },
      'with-idp': { type: 'boolean' },
      'demo-delegation': { type: 'boolean' },
      'idp-port': { type: 'string' },
      'idp-access-token-ttl-seconds': { type: 'string' },
      'oidc-issuer': { type: 'string' },
      'oidc-audience': { type: 'string' },
      'oidc-client-id': { type: 'string' },
      'oidc-name': { type: 'string' },
      'oidc-scopes': { type: 'string' },
      'oidc-user-claim': { type: 'string' },
      'policy-file': { type: 'string' },
      'nudge-after-seconds': { type: 'string' },
      broker: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return { kind: 'help' };
  const parsed = CliConfig.safeParse({
    host: values.host ?? env.SIGNOFF_STUB_HOST ?? STUB_DEFAULTS.host,
    port: values.port ?? env.SIGNOFF_STUB_PORT ?? STUB_DEFAULTS.port,
    db: values.db ?? env.SIGNOFF_STUB_DB ?? STUB_DEFAULTS.dbPath,
    heartbeatSeconds: values['heartbeat-seconds'] ?? STUB_DEFAULTS.heartbeatSeconds,
    tokenTtlSeconds: values['token-ttl-seconds'] ?? STUB_DEFAULTS.tokenTtlSeconds,
    eventRetention: values['event-retention'] ?? STUB_DEFAULTS.eventRetention,
    sync: values.sync ?? STUB_DEFAULTS.sync,
    allowRemoteDemo: values['allow-remote-demo'] ?? false,
    loadUsers: values['load-users'] ?? 0,
    log: values.log ?? false,
    quiet: values.quiet ?? false,
    reportLoopDelay: values['report-loop-delay'] ?? false,
    headersTimeoutMs: values['headers-timeout-ms'] ?? STUB_DEFAULTS.headersTimeoutMs,
    requestTimeoutMs: values['request-timeout-ms'] ?? STUB_DEFAULTS.requestTimeoutMs,
    keepAliveTimeoutMs: values['keep-alive-timeout-ms'] ?? STUB_DEFAULTS.keepAliveTimeoutMs,
    withIdp: values['with-idp'] ?? false,
    demoDelegation: values['demo-delegation'] ?? false,
    idpPort: values['idp-port'] ?? DEV_IDP_DEFAULTS.port,
    idpAccessTokenTtlSeconds:
      values['idp-access-token-ttl-seconds'] ?? DEV_IDP_DEFAULTS.accessTokenTtlSeconds,
    oidcIssuer: values['oidc-issuer'],
    oidcAudience: values['oidc-audience'] ?? DEV_IDP_DEFAULTS.audience,
    oidcClientId: values['oidc-client-id'],
    oidcName: values['oidc-name'] ?? 'Company account',
    oidcScopes: values['oidc-scopes'] ?? DEV_IDP_SCOPES.join(' '),
    oidcUserClaim: values['oidc-user-claim'] ?? 'sub',
    nudgeAfterSeconds: values['nudge-after-seconds'] ?? NUDGE_AFTER_MS / 1000,
    broker: values.broker ?? env.SIGNOFF_STUB_BROKER,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`);
    throw new Error(problems.join('\n'));
  }
  const config = parsed.data;
  const policyFile = values['policy-file'] ?? env.SIGNOFF_STUB_POLICY_FILE;
  const policy = policyFile ? loadPolicyFile(policyFile) : undefined;
  return {
    kind: 'run',
    quiet: config.quiet,
    reportLoopDelay: config.reportLoopDelay,
    server: {
      host: config.host,
      port: config.port,
      dbPath: config.db,
      heartbeatSeconds: config.heartbeatSeconds,
      tokenTtlSeconds: config.tokenTtlSeconds,
      eventRetention: config.eventRetention,
      sync: config.sync,
      allowRemoteDemo: config.allowRemoteDemo,
      loadUsers: config.loadUsers,
      log: config.log,
      quiet: config.quiet,
      headersTimeoutMs: config.headersTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      keepAliveTimeoutMs: config.keepAliveTimeoutMs,
      ...(policy ? { policy } : {}),
      nudgeAfterMs: config.nudgeAfterSeconds * 1000,
      ...(config.broker ? { broker: config.broker } : {}),
      ...(config.demoDelegation ? { demoDelegation: true } : {}),
      ...(config.withIdp
        ? { devIdp: { port: config.idpPort, accessTokenTtlSeconds: config.idpAccessTokenTtlSeconds } }
        : {}),
      ...(config.oidcIssuer && config.oidcClientId
        ? {
            oidc: {
              issuer: config.oidcIssuer,
              audience: config.oidcAudience,
              clientId: config.oidcClientId,
              name: config.oidcName,
              scopes: config.oidcScopes.split(/\s+/),
              userClaim: config.oidcUserClaim,
            },
          }
        : {}),
    },
  };
}
