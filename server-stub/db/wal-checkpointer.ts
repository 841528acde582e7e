// SQLite's automatic WAL checkpoint runs inside whichever COMMIT pushes the log past 1,000 pages, so
// every ~40th approval paid for copying the log back into the database file. Measured on the bench
// machine (12-row transactions): commit p99 5.0 ms → 0.23 ms with synchronous=NORMAL, and 2.4 ms →
// 0.67 ms with FULL, once the automatic checkpoint is off.
//
// A timer on the main thread only moved that cost between requests, not off the event loop: a PASSIVE
// checkpoint copies pages and fsyncs the WAL and the database file synchronously, and every request
// or push that arrived meanwhile waited (bench:fanout: one checkpoint a second, 1–3 ms each on a quiet
// disk and tens of ms on a busy one, each one a push-latency outlier). So the checkpoints run in a
// worker thread on a connection of their own: in WAL mode a checkpointer and a writer do not block
// each other, and the main thread never waits for the copy. The log is durable either way (every
// commit is fsynced as before); this moves work, it does not risk any.
import { Worker } from 'node:worker_threads';
import type Database from 'better-sqlite3';

export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;

export interface WalCheckpointer {
  /** Stops checkpointing and closes the worker's connection (before the main one closes). */
  stop(): Promise<void>;
}

interface CheckpointerData {
  /** better-sqlite3, resolved here: an eval'd worker resolves modules from the process's cwd. */
  driver: string;
  path: string;
  intervalMs: number;
  /** The main connection's `synchronous` (1 NORMAL, 2 FULL): the checkpoint fsyncs as it would. */
  synchronous: number;
}

// CommonJS run by the worker. PASSIVE never waits for readers (operator CLI) or the writer; what it
// cannot copy now is copied next time.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    parentPort.postMessage(String(error));
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Turns off `db`'s automatic checkpoint and runs a PASSIVE one every `intervalMs` on a worker thread.
 * An in-memory database has no WAL and gets nothing.
 */
export function startWalCheckpoints(
  db: Database.Database,
  intervalMs: number,
  onError: (error: unknown) => void,
): WalCheckpointer {
  db.pragma('wal_autocheckpoint = 0');
  if (db.memory) return { stop: async () => {} };
  const workerData: CheckpointerData = {
    driver: require.resolve('better-sqlite3'),
    path: db.name,
    intervalMs,
    synchronous: Number(db.pragma('synchronous', { simple: true })),
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  // The HTTP server keeps the process alive; a checkpointer alone must not.
  worker.unref();
  let fallback: NodeJS.Timeout | null = null;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('message', (message: string) => onError(new Error(message)));
  worker.once('error', (error) => {
    onError(error);
    // Without checkpoints the WAL would grow without bound: fall back to checkpointing here.
    fallback = setInterval(() => {
      try {
        if (db.open) db.pragma('wal_checkpoint(PASSIVE)');
      } catch (fallbackError) {
        onError(fallbackError);
      }
    }, intervalMs);
    fallback.unref();
  });
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        if (fallback) clearInterval(fallback);
        // Referenced again while it finishes: once the HTTP server is closed, nothing else may keep
        // the process alive until the worker's connection is closed.
        worker.ref();
        worker.postMessage('stop');
        await exited;
      })();
      return stopping;
    },
  };
}
