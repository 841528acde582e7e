// One PostgreSQL connection that the main thread calls synchronously. The stores are synchronous
// (db/sql.ts says why), and node-postgres is asynchronous; so the connection lives on a worker thread
// and the main thread posts each statement and waits on a shared flag (Atomics.wait) until the worker
// has the answer. A statement costs one loopback round trip of the event loop's time — as a SQLite
// statement costs its disk time — and nothing else can run in between, which is exactly the
// guarantee the stores are written against.
//
// The worker is eval'd from a string, like db/wal-checkpointer.ts's: the stub ships as bundles, and
// this keeps the worker beside its caller with nothing more to build.
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

/** Longest a statement may take, waiting for another node's lock included, before the call fails. */
const ANSWER_TIMEOUT_MS = 30_000;
/** How long a writer waits for another node's write lock (as SQLite's busy_timeout waits for the file's). */
const LOCK_TIMEOUT_MS = 5_000;

export interface QueryResult {
  /** Column names, in order. */
  fields: string[];
  /** Rows as arrays of values, in `fields` order. */
  rows: unknown[][];
  /** Rows changed (INSERT/UPDATE/DELETE) or returned. */
  rowCount: number;
}

/** A PostgreSQL error, with its SQLSTATE (e.g. 23505 unique_violation). */
export class PostgresError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'PostgresError';
  }
}

type Request =
  | { id: number; kind: 'query'; text: string; values: unknown[]; name: string | undefined }
  | { id: number; kind: 'script'; text: string }
  | { id: number; kind: 'close' };

type Reply =
  | { id: number; ok: true; result: QueryResult }
  | { id: number; ok: false; message: string; code?: string };

const WORKER_SOURCE = `
'use strict';
const { workerData } = require('node:worker_threads');
const pg = require(workerData.driver);
const { port, flag: sharedFlag, url, lockTimeoutMs } = workerData;
const flag = new Int32Array(sharedFlag);

// SQLite hands integers to JavaScript as numbers; so do we. bigint (int8) and numeric (SUM) values
// outside the safe range are an error rather than a silently rounded number. booleans (EXISTS, x = y)
// come back as 1 and 0, as SQLite's do.
function safeNumber(text) {
  const value = Number(text);
  if (!Number.isSafeInteger(value) && Number.isInteger(value)) throw new Error('integer ' + text + ' is outside the safe range');
  return value;
}
const types = {
  getTypeParser(oid, format) {
    if (oid === 20 || oid === 1700) return safeNumber;
    if (oid === 16) return (text) => (text === 't' ? 1 : 0);
    return pg.types.getTypeParser(oid, format);
  },
};

let client = null;
async function connection() {
  if (client) return client;
  const fresh = new pg.Client({ connectionString: url, types, application_name: 'signoff-stub' });
  // A dropped connection is replaced at the next statement; its transaction, if any, is gone (rolled
  // back by the server), and the statement that finds out fails with the reason.
  fresh.on('error', () => { if (client === fresh) client = null; });
  await fresh.connect();
  await fresh.query("SET lock_timeout = '" + lockTimeoutMs + "ms'");
  client = fresh;
  return fresh;
}

function asParameter(value) {
  // A Buffer crosses the thread as a plain Uint8Array; node-postgres sends Buffers as bytea.
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

async function answer(request) {
  if (request.kind === 'close') {
    if (client) await client.end();
    client = null;
    return { fields: [], rows: [], rowCount: 0 };
  }
  const db = await connection();
  if (request.kind === 'script') {
    await db.query(request.text);
    return { fields: [], rows: [], rowCount: 0 };
  }
  const result = await db.query({
    text: request.text,
    values: request.values.map(asParameter),
    name: request.name,
    rowMode: 'array',
  });
  return { fields: result.fields.map((field) => field.name), rows: result.rows, rowCount: result.rowCount ?? 0 };
}

port.on('message', async (request) => {
  let reply;
  try {
    reply = { id: request.id, ok: true, result: await answer(request) };
  } catch (error) {
    reply = { id: request.id, ok: false, message: String(error && error.message || error), code: error && error.code };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/**
 * A Buffer crosses the thread as a plain Uint8Array (a bytea value, coming back); the stores expect a
 * Buffer, as from SQLite. The worker does the same for parameters going out (asParameter).
 */
function asBuffer(value: unknown): unknown {
  return value instanceof Uint8Array && !Buffer.isBuffer(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : value;
}

export class SyncConnection {
  private readonly worker: Worker;
  private readonly port;
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));
  private nextId = 1;
  private broken: string | null = null;

  constructor(url: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        driver: require.resolve('pg'),
        url,
        port: port2,
        flag: this.flag.buffer,
        lockTimeoutMs: LOCK_TIMEOUT_MS,
      },
      transferList: [port2],
    });
    // The HTTP server keeps the process alive; the connection alone must not.
    this.worker.unref();
  }

  /** Runs one statement with parameters; `name` makes it a server-side prepared statement. */
  query(text: string, values: readonly unknown[], name?: string): QueryResult {
    return this.call({ id: this.nextId++, kind: 'query', text, values: [...values], name });
  }

  /** Runs a parameterless script of one or more statements. */
  script(text: string): void {
    this.call({ id: this.nextId++, kind: 'script', text });
  }

  close(): void {
    if (this.broken === null) {
      try {
        this.call({ id: this.nextId++, kind: 'close' });
      } catch {
        // closing anyway
      }
    }
    this.broken = 'the connection is closed';
    void this.worker.terminate();
  }

  private call(request: Request): QueryResult {
    if (this.broken !== null) throw new PostgresError(`PostgreSQL: ${this.broken}`, undefined);
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(request);
    const deadline = performance.now() + ANSWER_TIMEOUT_MS;
    // A loop, not one wait: the previous answer's notify can land after that answer was already
    // taken (the flag was set before this thread began to wait), and wakes this wait early.
    while (Atomics.load(this.flag, 0) === 0) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.flag, 0, 0, left) === 'timed-out') {
        // The answer may still come, and would then be taken for the next statement's: stop here.
        this.broken = `no answer within ${ANSWER_TIMEOUT_MS} ms`;
        throw new PostgresError(`PostgreSQL: ${this.broken}`, undefined);
      }
    }
    const reply = receiveMessageOnPort(this.port)?.message as Reply | undefined;
    if (!reply || reply.id !== request.id) {
      this.broken = 'answers arrived out of order';
      throw new PostgresError(`PostgreSQL: ${this.broken}`, undefined);
    }
    if (!reply.ok) throw new PostgresError(reply.message, reply.code);
    for (const row of reply.result.rows) {
      for (let column = 0; column < row.length; column++) row[column] = asBuffer(row[column]);
    }
    return reply.result;
  }
}
