// Assembles the reference backend: store, demo org, auth, workflow, REST app and the push stream,
// listening on one HTTP server. Used by the CLI and, in-process, by tests.
import type { AddressInfo } from 'node:net';
import { SessionStore } from './auth/sessions';
import { DEFAULT_THROTTLE, SignInThrottle, type ThrottlePolicy } from './auth/sign-in-throttle';
import { Announcements } from './claims/announcements';
import { ClaimReader } from './claims/claim-reader';
import { ClaimWorkflow } from './claims/workflow';
import { type Clock, systemClock } from './clock';
import { type Db, openDatabase, type SyncMode } from './db/database';
import { SqliteEventLog } from './events/event-log';
import { buildApp } from './http/app';
import type { Backend } from './http/backend';
import { IdempotencyStore } from './http/idempotency';
import { assertSafeToBind } from './org/demo-password-guard';
import { seedDemoOrg } from './org/seed';
import { UserDirectory } from './org/users';
import { attachStream } from './push/stream';

export interface StubServerOptions {
  /** SQLite file, or `:memory:`. */
  dbPath: string;
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  heartbeatSeconds?: number;
  tokenTtlSeconds?: number;
  /** Events kept per user. */
  eventRetention?: number;
  sync?: SyncMode;
  /** Fastify request logging. */
  log?: boolean;
  /** Injected time source (tests move it to expire tokens or age throttles). */
  clock?: Clock;
  throttle?: ThrottlePolicy;
  /** Bind a non-loopback host even while accounts still have the public demo password. */
  allowRemoteDemo?: boolean;
}

export const STUB_DEFAULTS = {
  host: '127.0.0.1',
  port: 8787,
  dbPath: '.signoff-stub/stub.sqlite',
  heartbeatSeconds: 15,
  tokenTtlSeconds: 43_200,
  eventRetention: 10_000,
  sync: 'full' as SyncMode,
};

export interface StubServer {
  /** `http://host:port`, without the API prefix. */
  url: string;
  port: number;
  host: string;
  eventLog: SqliteEventLog;
  sessions: SessionStore;
  /** The wired internals, for tests and the operator tooling that run in-process. */
  backend: Backend;
  /** Closes sockets (1001), answers held long-polls, stops HTTP, then closes the store. Idempotent. */
  close(): Promise<void>;
}

export async function createStubServer(options: StubServerOptions): Promise<StubServer> {
  const clock = options.clock ?? systemClock;
  const heartbeatSeconds = options.heartbeatSeconds ?? STUB_DEFAULTS.heartbeatSeconds;
  const host = options.host ?? STUB_DEFAULTS.host;
  const db: Db = openDatabase({ path: options.dbPath, sync: options.sync ?? STUB_DEFAULTS.sync });
  try {
    await seedDemoOrg(db);
    const users = new UserDirectory(db);
    await assertSafeToBind(host, users, options.allowRemoteDemo ?? false);
    const claims = new ClaimReader(db, users);
    const eventLog = new SqliteEventLog(db, clock, options.eventRetention ?? STUB_DEFAULTS.eventRetention);
    const sessions = new SessionStore(
      db,
      users,
      clock,
      options.tokenTtlSeconds ?? STUB_DEFAULTS.tokenTtlSeconds,
    );
    const backend: Backend = {
      db,
      clock,
      heartbeatSeconds,
      users,
      sessions,
      throttle: new SignInThrottle(db, clock, options.throttle ?? DEFAULT_THROTTLE),
      eventLog,
      claims,
      workflow: new ClaimWorkflow(db, users, claims, clock),
      announcements: new Announcements(db, users, clock),
      idempotency: new IdempotencyStore(db, clock),
    };
    const built = buildApp(backend, { log: options.log ?? false });
    const { app } = built;
    await app.ready();
    const stream = attachStream({ server: app.server, sessions, events: eventLog, heartbeatSeconds });
    try {
      await app.listen({ host, port: options.port ?? STUB_DEFAULTS.port });
    } catch (error) {
      await stream.close();
      await app.close();
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
      backend,
      close() {
        closing ??= (async () => {
          await stream.close();
          built.longPolls.releaseAll();
          await app.close();
          db.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    if (db.open) db.close();
    throw error;
  }
}
