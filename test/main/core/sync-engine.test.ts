// The sync engine on its own: a scripted REST API, frames handed in by the test, a manual clock.
// Exactly-once application (order, replays, gaps, resets) and how failures are reported.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { FrameCounters } from '../../../main/core/stream-client';
import type { SyncEngine } from '../../../main/core/sync-engine';
import { ApiError, type ServerFrame, type UserEvent } from '../../../protocol';
import {
  assigned,
  FakeSocket,
  type PolicyRig,
  policyRig,
  ScriptedApi,
  settle,
  streamClientFor,
  syncEngineFor,
  unassigned,
  waiting,
} from '../../support/core-units';
import { EPOCH, welcome } from '../../support/fake-server';

let rig: PolicyRig;
let api: ScriptedApi;
let sync: SyncEngine;
let changes: number;
let broken: string[];
let sessionEnded: number;

beforeEach(() => {
  rig = policyRig();
  api = new ScriptedApi();
  changes = 0;
  broken = [];
  sessionEnded = 0;
  sync = syncEngineFor(rig, api, {
    onChange: () => {
      changes += 1;
    },
    onBroken: (reason) => broken.push(reason),
    onSessionEnded: () => {
      sessionEnded += 1;
    },
  });
});

afterEach(async () => {
  await rig.state.flush();
  rig.dispose();
});

const event = (e: UserEvent, epoch = EPOCH): ServerFrame => ({ type: 'event', epoch, event: e });
const queued = () => rig.queue.list().map((claim) => claim.id);

/** First connection: the snapshot, then the stream from its cursor. */
async function connected(): Promise<void> {
  expect(await sync.prepare()).toEqual({ epoch: EPOCH, seq: 0 });
}

describe('applying the stream', () => {
  test('no cursor → snapshot first; then events apply in order and move the cursor', async () => {
    api.snapshot = { cursor: { epoch: EPOCH, seq: 0 }, claims: [waiting('EXP-0')] };
    await connected();
    expect(api.calls).toEqual([{ call: 'queue' }]);
    expect(queued()).toEqual(['EXP-0']);

    const one = waiting('EXP-1');
    sync.receive(event(assigned(1, one)));
    sync.receive(event(assigned(2, waiting('EXP-2'))));
    sync.receive(event(unassigned(3, one)));
    expect(queued()).toEqual(['EXP-0', 'EXP-2']);
    expect(sync.cursor).toEqual({ epoch: EPOCH, seq: 3 });
    expect(sync.appliedEvents).toBe(3);
    expect(rig.notifier.claimIds()).toEqual(['EXP-0', 'EXP-1', 'EXP-2']);
    expect(rig.notifier.closed).toContain('claim:EXP-1');
    // Later connections resume from the cursor: no second snapshot.
    expect(await sync.prepare()).toEqual({ epoch: EPOCH, seq: 3 });
    expect(sync.snapshotsTaken).toBe(1);
  });

  test('duplicates and replays at or below the cursor change nothing', async () => {
    await connected();
    const one = waiting('EXP-1');
    sync.receive(event(assigned(1, one)));
    sync.receive(event(assigned(2, waiting('EXP-2'))));
    const changesBefore = changes;

    sync.receive(event(assigned(1, one)));
    sync.receive(event(assigned(2, waiting('EXP-2'))));
    sync.receive(event(unassigned(1, one))); // a replayed seq with other content is still a replay
    expect(queued()).toEqual(['EXP-1', 'EXP-2']);
    expect(sync.appliedEvents).toBe(2);
    expect(changes).toBe(changesBefore);
    expect(rig.notifier.shown).toHaveLength(2);
    expect(api.calls).toEqual([{ call: 'queue' }]);
  });

  test('a gap is backfilled over GET /events before the frame that revealed it; frames meanwhile wait', async () => {
    await connected();
    sync.receive(event(assigned(1, waiting('EXP-1'))));
    api.log = [1, 2, 3, 4, 5, 6].map((seq) => assigned(seq, waiting(`EXP-${seq}`)));

    api.hold();
    sync.receive(event(api.log[4]!)); // seq 5: 2–4 are missing
    sync.receive(event(api.log[5]!)); // seq 6 arrives while the backfill is in flight
    await settle();
    expect(queued()).toEqual(['EXP-1']);
    api.open();
    await settle();

    expect(api.calls).toEqual([{ call: 'queue' }, { call: 'events', after: { epoch: EPOCH, seq: 1 } }]);
    expect(queued()).toEqual(['EXP-1', 'EXP-2', 'EXP-3', 'EXP-4', 'EXP-5', 'EXP-6']);
    expect(sync.cursor?.seq).toBe(6);
    expect(sync.appliedEvents).toBe(6);
    expect(broken).toEqual([]);
  });

  test('a hole the server cannot fill restarts the connection instead of skipping events', async () => {
    await connected();
    api.log = [assigned(1, waiting('EXP-1'))]; // the server only has seq 1
    sync.receive(event(assigned(3, waiting('EXP-3'))));
    await settle();
    expect(queued()).toEqual(['EXP-1']);
    expect(sync.cursor?.seq).toBe(1);
    expect(broken).toEqual(['the server could not fill a gap up to 3']);
  });

  test('a reset frame or another epoch re-takes the snapshot; claims that left are closed', async () => {
    await connected();
    sync.receive(event(assigned(1, waiting('EXP-1'))));
    sync.receive(event(assigned(2, waiting('EXP-2'))));

    api.snapshot = { cursor: { epoch: EPOCH, seq: 40 }, claims: [waiting('EXP-2'), waiting('EXP-9')] };
    sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 40 }, reason: 'expired' });
    await settle();
    expect(queued()).toEqual(['EXP-2', 'EXP-9']);
    expect(sync.cursor).toEqual({ epoch: EPOCH, seq: 40 });
    expect(sync.snapshotsTaken).toBe(2);
    expect(rig.notifier.closed).toContain('claim:EXP-1');
    // EXP-2 was already announced: only EXP-9 is new.
    expect(rig.notifier.claimIds()).toEqual(['EXP-1', 'EXP-2', 'EXP-9']);

    api.snapshot = { cursor: { epoch: 'new-epoch', seq: 1 }, claims: [] };
    sync.receive(event(assigned(41, waiting('EXP-41')), 'new-epoch'));
    await settle();
    expect(sync.snapshotsTaken).toBe(3);
    expect(sync.cursor).toEqual({ epoch: 'new-epoch', seq: 1 });
    expect(queued()).toEqual([]);
  });

  test('a refused token while catching up ends the session through its own hook', async () => {
    await connected();
    api.failNext = new ApiError(401, { code: 'unauthorized', message: 'token expired' });
    sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 9 }, reason: 'expired' });
    await settle();
    expect(sessionEnded).toBe(1);
    expect(broken).toEqual([]);

    api.failNext = new Error('socket hang up');
    sync.receive(event(assigned(5, waiting('EXP-5'))));
    await settle();
    expect(broken).toEqual(['socket hang up']);
    expect(sessionEnded).toBe(1);
  });

  test('after close(), late answers do not touch the queue', async () => {
    await connected();
    api.snapshot = { cursor: { epoch: EPOCH, seq: 3 }, claims: [waiting('EXP-3')] };
    api.hold();
    sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 3 }, reason: 'expired' });
    sync.close();
    api.open();
    await settle();
    expect(queued()).toEqual([]);
    sync.receive(event(assigned(1, waiting('EXP-1'))));
    expect(queued()).toEqual([]);
  });
});

describe('frames from the signoff.v1 stream client', () => {
  test('invalid frames are counted and dropped; only valid ones reach the sync engine, in order', async () => {
    const counters: FrameCounters = { notJson: 0, invalid: 0, oversized: 0, binary: 0 };
    const socket = new FakeSocket();
    const states: string[] = [];
    const client = streamClientFor(rig, sync, socket, counters, {
      onState: (state) => states.push(state.kind),
      onSessionEnded: () => {
        sessionEnded += 1;
      },
    });
    client.start();
    await settle();
    socket.accept();
    expect(JSON.parse(socket.sent[0]!)).toEqual({
      type: 'hello',
      protocolVersion: 1,
      resume: { epoch: EPOCH, seq: 0 },
    });

    socket.receive(welcome(2));
    socket.receive('{not json');
    socket.receive(Buffer.from([1, 2, 3]), true);
    socket.receive(JSON.stringify({ type: 'mystery' }));
    socket.receive(
      JSON.stringify({ type: 'event', epoch: EPOCH, event: { ...assigned(1, waiting('EXP-1')), claim: {} } }),
    );
    socket.receive(JSON.stringify(event(assigned(1, waiting('EXP-1')))));
    socket.receive(JSON.stringify(event(assigned(2, waiting('EXP-2')))));

    expect(counters).toEqual({ notJson: 1, invalid: 2, oversized: 0, binary: 1 });
    expect(queued()).toEqual(['EXP-1', 'EXP-2']);
    expect(sync.appliedEvents).toBe(2);
    expect(states).toEqual(['connecting', 'online']);
    client.stop();
    expect(sessionEnded).toBe(0);
  });
});
