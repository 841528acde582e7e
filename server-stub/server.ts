// Assembles the reference backend: store, demo org, auth, workflow, REST app and the push stream,
// listening on one HTTP server (the v1 stream and the STOMP endpoint share its upgrades). Used by the CLI and, in-process, by tests.
import type { AddressInfo } from 'node:net';
import { type IdentityProvider, NUDGE_AFTER_MS, STOMP_PATH } from '../protocol';
import { AccessTokenVerifier, type OidcTrust } from './auth/access-tokens';
import { BearerAuthority } from './auth/bearer-authority';
import { verifyPassword } from './auth/passwords';
import { SessionStore } from './auth/sessions';
import { DEFAULT_THROTTLE, SignInThrottle, type ThrottlePolicy } from './auth/sign-in-throttle';
import { Announcements } from './claims/announcements';
import { ClaimChainChanges } from './claims/chain-changes';
import { ClaimReader } from './claims/claim-reader';
import { Delegations } from './claims/delegation';
import { type DelegationTimer, startDelegationTimer } from './claims/delegation-timer';
import { ClaimNudges } from './claims/nudge';
import type { PolicyConfig } from './claims/policy-config';
import { ClaimWorkflow } from './claims/workflow';
import { type Clock, systemClock } from './clock';
import { type BrokerRelay, startBrokerRelay } from './cluster/broker-relay';
import { type Db, openDatabase, type SyncMode } from './db/database';
import { SqliteDb } from './db/sqlite-db';
import { DEFAULT_CHECKPOINT_INTERVAL_MS, startWalCheckpoints } from './db/wal-checkpointer';
import { StoredEventLog } from './events/event-log';
import { buildApp, type HttpTimeouts } from './http/app';
import type { Backend } from './http/backend';
import { IdempotencyStore } from './http/idempotency';
import { DEV_IDP_SCOPES, type DevIdp, type DevIdpOptions, startDevIdp } from './idp/dev-idp';
import { operationalLog } from './operational-log';
import { seedDemoDelegation } from './org/demo-delegation';
import { assertSafeToBind } from './org/demo-password-guard';
import { seedLoadUsers } from './org/load-users';
import { seedDemoOrg } from './org/seed';
import { UserDirectory } from './org/users';
import { attachStream } from './push/stream';
import { attachStomp } from './stomp/stomp-endpoint';

export interface StubServerOptions extends StubServerTimeouts {
  /** SQLite file, `:memory:`, or a `postgres://` URL (db/database.ts). */
  dbPath: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  heartbeatSeconds?: number;
  tokenTtlSeconds?: number;
  /** Events kept per user. */
  eventRetention?: number;
  sync?: SyncMode;
  /** Fastify request logging; operational messages (stream cut-offs) then join that log. */
  log?: boolean;
  /** Without `log`, operational messages go to stderr unless this is set. */
  quiet?: boolean;
  /** Injected time source (tests move it to expire tokens or age throttles). */
  clock?: Clock;
  throttle?: ThrottlePolicy;
  /** Bind a non-loopback host even while accounts still have the public demo password. */
  allowRemoteDemo?: boolean;
  /** Throwaway load-test users to seed (load00001…; see org/load-users.ts). */
  loadUsers?: number;
  /** How often the WAL is checkpointed, on a worker thread (see db/wal-checkpointer.ts). */
  checkpointIntervalMs?: number;
  /**
   * Re-validate each new event against the protocol schema before it is stored (default: under tests
   * and NODE_ENV=development; see StoredEventLog).
   */
  checkEvents?: boolean;
  /** Seed the demo's delegation (heidi out of office, carol covering) into a store that has none. */
  demoDelegation?: boolean;
  /** Single sign-on: accept this issuer's access tokens and advertise it in `/info`. */
  oidc?: OidcSettings;
  /** Start the development identity provider (server-stub/idp) with these users, and trust it as `oidc`. */
  devIdp?: Omit<DevIdpOptions, 'accounts' | 'host'>;
  /** The expense policy behind the policy flags (default DEFAULT_POLICY, claims/policy-config.ts). */
  policy?: PolicyConfig;
  /** How long a claim waits at its step before its submitter may nudge (default protocol's NUDGE_AFTER_MS). */
  nudgeAfterMs?: number;
  /**
   * Cluster fan-out: `amqp://…` of a RabbitMQ broker shared by every node on this database
   * (docs/cluster.md). Absent: a single node, nothing leaves the process.
   */
  broker?: string;
}

/** A company identity provider: what the stub checks on its tokens and what `/info` advertises. */
export interface OidcSettings extends OidcTrust {
  clientId: string;
  /** "Sign in with <name>". */
  name: string;
  scopes: string[];
}

/** Per-connection HTTP timeouts (see HttpTimeouts); each falls back to STUB_DEFAULTS. */
export type StubServerTimeouts = Partial<HttpTimeouts>;

export const STUB_DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dbPath: '.signoff-stub/stub.sqlite',
  heartbeatSeconds: 15,
  tokenTtlSeconds: 43_200,
  eventRetention: 10_000,
  sync: 'full' as SyncMode,
  // A half-sent request is cut off (408) within 10 s, whatever part of it is missing.
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 10_000,
  // Short enough that idle clients do not pin sockets; clients (undici: 4 s) close theirs first.
  keepAliveTimeoutMs: 5_000,
};

/** Tests (vitest sets VITEST, also in the stub processes they start) and development check events. */
function checkEventsByDefault(): boolean {
  return process.env.VITEST !== undefined || ['test', 'development'].includes(process.env.NODE_ENV ?? '');
}

export interface StubServer {
  /** `http://host:port`, without the API prefix. */
  url: string;
  port: number;
  host: string;
  eventLog: StoredEventLog;
  sessions: SessionStore;
  /** The development identity provider, when started with `devIdp`. */
  devIdp: DevIdp | null;
  /** The wired internals, for tests and the operator tooling that run in-process. */
  backend: Backend;
  /** Tests that move the injected clock call `runNow()` instead of waiting for the timer. */
  delegationTimer: DelegationTimer;
  /** The broker relay, when started with `broker`. */
  broker: BrokerRelay | null;
  /** Closes sockets (1001), answers held long-polls, stops HTTP, then closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function createStubServer(options: StubServerOptions): Promise<StubServer> {
  const clock = options.clock ?? systemClock;
  const heartbeatSeconds = options.heartbeatSeconds ?? STUB_DEFAULTS.heartbeatSeconds;
  const host = options.host ?? STUB_DEFAULTS.host;
  const db: Db = openDatabase({ path: options.dbPath, sync: options.sync ?? STUB_DEFAULTS.sync });
  let devIdp: DevIdp | null = null;
  try {
    await seedDemoOrg(db);
    await seedLoadUsers(db, options.loadUsers ?? 0);
    const users = new UserDirectory(db);
    await assertSafeToBind(host, users, options.allowRemoteDemo ?? false);
    const nudgeRules = { afterMs: options.nudgeAfterMs ?? NUDGE_AFTER_MS };
    const claims = new ClaimReader(db, users, nudgeRules);
    const eventLog = new StoredEventLog(
      db,
      clock,
      options.eventRetention ?? STUB_DEFAULTS.eventRetention,
      options.checkEvents ?? checkEventsByDefault(),
    );
    const sessions = new SessionStore(
      db,
      users,
      clock,
      options.tokenTtlSeconds ?? STUB_DEFAULTS.tokenTtlSeconds,
    );
    devIdp = options.devIdp ? await startDevIdpFor(users, host, options.devIdp) : null;
    const oidc = devIdp ? devIdpTrust(devIdp) : options.oidc;
    const auth = new BearerAuthority(
      sessions,
      oidc ? new AccessTokenVerifier(oidc, users, clock) : null,
      () => clock(),
    );
    const delegations = new Delegations(db, users, claims, clock);
    const workflow = new ClaimWorkflow(db, users, claims, clock, options.policy, delegations);
    const backend: Backend = {
      db,
      clock,
      heartbeatSeconds,
      users,
      sessions,
      auth,
      ...(oidc ? { identityProvider: advertisement(oidc) } : {}),
      throttle: new SignInThrottle(db, clock, options.throttle ?? DEFAULT_THROTTLE),
      eventLog,
      claims,
      workflow,
      announcements: new Announcements(db, users, clock),
      idempotency: new IdempotencyStore(db, clock),
      nudges: new ClaimNudges(db, users, claims, clock, nudgeRules),
      delegations,
      chainChanges: new ClaimChainChanges(db, users, claims, workflow, clock),
    };
    const built = buildApp(backend, {
      log: options.log ?? false,
      timeouts: {
        headersTimeoutMs: options.headersTimeoutMs ?? STUB_DEFAULTS.headersTimeoutMs,
        requestTimeoutMs: options.requestTimeoutMs ?? STUB_DEFAULTS.requestTimeoutMs,
        keepAliveTimeoutMs: options.keepAliveTimeoutMs ?? STUB_DEFAULTS.keepAliveTimeoutMs,
      },
    });
    const { app } = built;
    await app.ready();
    const log = operationalLog({ log: options.log ?? false, quiet: options.quiet ?? false, logger: app.log });
    const stream = attachStream({
      server: app.server,
      sessions: auth,
      events: eventLog,
      heartbeatSeconds,
      log,
      otherPaths: [STOMP_PATH],
    });
    const stomp = attachStomp({ server: app.server, sessions: auth, events: eventLog, log });
    // Broker trouble is printed even under --quiet: a node cut off from its cluster is worth a line.
    const broker = options.broker
      ? startBrokerRelay({ url: options.broker, events: eventLog, sessions: auth, log: log ?? printLine })
      : null;
    // Catches up on starts and ends that fell due while the stub was down, then keeps time.
    const delegationTimer = startDelegationTimer(delegations, eventLog, clock, log);
    if (options.demoDelegation) seedDemoDelegation(backend);
    // PostgreSQL checkpoints by itself; SQLite's are taken off the event loop here.
    const checkpoints =
      db instanceof SqliteDb
        ? startWalCheckpoints(
            db.raw,
            options.checkpointIntervalMs ?? DEFAULT_CHECKPOINT_INTERVAL_MS,
            (error) => log?.('WAL checkpoint failed', { error: String(error) }),
          )
        : { stop: async () => {} };
    try {
      await app.listen({ host, port: options.port ?? STUB_DEFAULTS.port });
    } catch (error) {
      delegationTimer.stop();
      await broker?.close();
      await checkpoints.stop();
      await Promise.all([stream.close(), stomp.close()]);
      await app.close();
      await devIdp?.close();
      throw error;
    }
    const address = app.server.address() as AddressInfo;
    const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

    let closing: Promise<void> | null = null;
    return {
      url: `http://${urlHost}:${address.port}`,
      port: address.port,
      host: address.address,
      eventLog,
      sessions,
      devIdp,
      backend,
      delegationTimer,
      broker,
      close() {
        closing ??= (async () => {
          // Refuse new requests first: closing the streams can take a close-handshake grace period.
          built.beginShutdown();
          delegationTimer.stop();
          await broker?.close();
          await Promise.all([stream.close(), stomp.close()]);
          built.longPolls.releaseAll();
          await app.close();
          // The checkpointer's connection closes first, so the main one is the last and cleans up the WAL.
          await checkpoints.stop();
          await devIdp?.close();
          db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await devIdp?.close();
    if (db.open) db.close();
    throw error;
  }
}

function printLine(message: string, fields?: Record<string, unknown>): void {
  console.error(`signoff-stub: ${message}${fields === undefined ? '' : ` ${JSON.stringify(fields)}`}`);
}

function startDevIdpFor(users: UserDirectory, host: string, options: StubServerOptions['devIdp']) {
  return startDevIdp({
    ...options,
    host,
    accounts: {
      async authenticate(username, password) {
        const user = users.find(username);
        return user && (await verifyPassword(password, user.passwordHash)) ? user.id : null;
      },
      displayName: (id) => users.find(id)?.name ?? null,
    },
  });
}

function devIdpTrust(idp: DevIdp): OidcSettings {
  return {
    issuer: idp.issuer,
    audience: idp.audience,
    userClaim: 'sub',
    clientId: idp.clientId,
    name: 'Signoff Demo SSO',
    scopes: DEV_IDP_SCOPES,
  };
}

function advertisement({ name, issuer, clientId, scopes }: OidcSettings): IdentityProvider {
  return { name, issuer, clientId, scopes };
}
