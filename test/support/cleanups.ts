// Undo what a test set up (servers, cores, listeners, temp folders), newest first, even when the test
// failed — one registry and one hook instead of a `cleanups` array and loop in every file.
import { afterAll, afterEach } from 'vitest';

type Undo = () => unknown;

export interface Deferred {
  /** Runs `undo` at the hook. */
  (undo: Undo): void;
  /** Disposes `thing` at the hook, and hands it back. */
  dispose<T extends { dispose(): unknown }>(thing: T): T;
}

function deferTo(hook: (run: () => Promise<void>) => void): Deferred {
  const pending: Undo[] = [];
  hook(async () => {
    for (const undo of pending.splice(0).reverse()) await undo();
  });
  const defer = (undo: Undo) => {
    pending.push(undo);
  };
  return Object.assign(defer, {
    dispose<T extends { dispose(): unknown }>(thing: T): T {
      defer(() => thing.dispose());
      return thing;
    },
  });
}

/** What is deferred during a test is undone after that test. */
export function undoAfterEach(): Deferred {
  return deferTo(afterEach);
}

/** What is deferred in the file (or describe block) is undone after its last test. */
export function undoAfterAll(): Deferred {
  return deferTo(afterAll);
}
