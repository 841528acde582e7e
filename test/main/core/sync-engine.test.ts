// The sync engine on its own: a scripted REST API, frames handed in by the test, a manual clock.
// Exactly-once application (order, replays, gaps, resets) and how failures are reported.
import { beforeEach, describe, expect, test } from 'vitest';
import { ApiError, type ServerFrame, type UserEvent } from '../../../protocol';
import { acceptedStream, assigned, settle, unassigned, useSyncRig, waiting } from '../../support/core-units';
import { EPOCH, welcome } from '../../support/fake-server';

let changes: number;
let broken: string[];
let sessionEnded: number;

const unit = useSyncRig({
  onChange: () => {
    changes += 1;
  },
  onBroken: (reason) => broken.push(reason),
  onSessionEnded: () => {
    sessionEnded += 1;
  },
});

beforeEach(() => {
  changes = 0;
  broken = [];
  sessionEnded = 0;
});

const event = (e: UserEvent, epoch = EPOCH): ServerFrame => ({ type: 'event', epoch, event: e });
const queued = () => unit.rig.queue.list().map((claim) => claim.id);

/** First connection: the snapshot, then the stream from its cursor. */
async function connected(): Promise<void> {
  expect(await unit.sync.prepare()).toEqual({ epoch: EPOCH, seq: 0 });
}

describe('applying the stream', () => {
  test('no cursor → snapshot first; then events apply in order and move the cursor', async () => {
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 0 }, claims: [waiting('EXP-0')] };
    await connected();
    expect(unit.api.calls).toEqual([{ call: 'queue' }]);
    expect(queued()).toEqual(['EXP-0']);

    const one = waiting('EXP-1');
    unit.sync.receive(event(assigned(1, one)));
    unit.sync.receive(event(assigned(2, waiting('EXP-2'))));
    unit.sync.receive(event(unassigned(3, one)));
    expect(queued()).toEqual(['EXP-0', 'EXP-2']);
    expect(unit.sync.cursor).toEqual({ epoch: EPOCH, seq: 3 });
    expect(unit.sync.appliedEvents).toBe(3);
    expect(unit.rig.notifier.claimIds()).toEqual(['EXP-0', 'EXP-1', 'EXP-2']);
    expect(unit.rig.notifier.closed).toContain('claim:EXP-1');
    // Later connections resume from the cursor: no second snapshot.
    expect(await unit.sync.prepare()).toEqual({ epoch: EPOCH, seq: 3 });
    expect(unit.sync.snapshotsTaken).toBe(1);
  });

  test('duplicates and replays at or below the cursor change nothing', async () => {
    await connected();
    const one = waiting('EXP-1');
    unit.sync.receive(event(assigned(1, one)));
    unit.sync.receive(event(assigned(2, waiting('EXP-2'))));
    const changesBefore = changes;

    unit.sync.receive(event(assigned(1, one)));
    unit.sync.receive(event(assigned(2, waiting('EXP-2'))));
    unit.sync.receive(event(unassigned(1, one))); // a replayed seq with other content is still a replay
    expect(queued()).toEqual(['EXP-1', 'EXP-2']);
    expect(unit.sync.appliedEvents).toBe(2);
    expect(changes).toBe(changesBefore);
    expect(unit.rig.notifier.shown).toHaveLength(2);
    expect(unit.api.calls).toEqual([{ call: 'queue' }]);
  });

  test('a gap is backfilled over GET /events before the frame that revealed it; frames meanwhile wait', async () => {
    await connected();
    unit.sync.receive(event(assigned(1, waiting('EXP-1'))));
    unit.api.log = [1, 2, 3, 4, 5, 6].map((seq) => assigned(seq, waiting(`EXP-${seq}`)));

    unit.api.hold();
    unit.sync.receive(event(unit.api.log[4]!)); // seq 5: 2–4 are missing
    unit.sync.receive(event(unit.api.log[5]!)); // seq 6 arrives while the backfill is in flight
    await settle();
    expect(queued()).toEqual(['EXP-1']);
    unit.api.open();
    await settle();

    expect(unit.api.calls).toEqual([{ call: 'queue' }, { call: 'events', after: { epoch: EPOCH, seq: 1 } }]);
    expect(queued()).toEqual(['EXP-1', 'EXP-2', 'EXP-3', 'EXP-4', 'EXP-5', 'EXP-6']);
    expect(unit.sync.cursor?.seq).toBe(6);
    expect(unit.sync.appliedEvents).toBe(6);
    expect(broken).toEqual([]);
  });

  test('a hole the server cannot fill restarts the connection instead of skipping events', async () => {
    await connected();
    unit.api.log = [assigned(1, waiting('EXP-1'))]; // the server only has seq 1
    unit.sync.receive(event(assigned(3, waiting('EXP-3'))));
    await settle();
    expect(queued()).toEqual(['EXP-1']);
    expect(unit.sync.cursor?.seq).toBe(1);
    expect(broken).toEqual(['the server could not fill a gap up to 3']);
  });

  test('a reset frame or another epoch re-takes the snapshot; claims that left are closed', async () => {
    await connected();
    unit.sync.receive(event(assigned(1, waiting('EXP-1'))));
    unit.sync.receive(event(assigned(2, waiting('EXP-2'))));

    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 40 }, claims: [waiting('EXP-2'), waiting('EXP-9')] };
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 40 }, reason: 'expired' });
    await settle();
    expect(queued()).toEqual(['EXP-2', 'EXP-9']);
    expect(unit.sync.cursor).toEqual({ epoch: EPOCH, seq: 40 });
    expect(unit.sync.snapshotsTaken).toBe(2);
    expect(unit.rig.notifier.closed).toContain('claim:EXP-1');
    // EXP-2 was already announced: only EXP-9 is new.
    expect(unit.rig.notifier.claimIds()).toEqual(['EXP-1', 'EXP-2', 'EXP-9']);

    unit.api.snapshot = { cursor: { epoch: 'new-epoch', seq: 1 }, claims: [] };
    unit.sync.receive(event(assigned(41, waiting('EXP-41')), 'new-epoch'));
    await settle();
    expect(unit.sync.snapshotsTaken).toBe(3);
    expect(unit.sync.cursor).toEqual({ epoch: 'new-epoch', seq: 1 });
    expect(queued()).toEqual([]);
  });

  test('a refused token while catching up ends the session through its own hook', async () => {
    await connected();
    unit.api.failNext = new ApiError(401, { code: 'unauthorized', message: 'token expired' });
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 9 }, reason: 'expired' });
    await settle();
    expect(sessionEnded).toBe(1);
    expect(broken).toEqual([]);

    unit.api.failNext = new Error('socket hang up');
    unit.sync.receive(event(assigned(5, waiting('EXP-5'))));
    await settle();
    expect(broken).toEqual(['socket hang up']);
    expect(sessionEnded).toBe(1);
  });

  test('after close(), late answers do not touch the queue', async () => {
    await connected();
    unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 3 }, claims: [waiting('EXP-3')] };
    unit.api.hold();
    unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 3 }, reason: 'expired' });
    unit.sync.close();
    unit.api.open();
    await settle();
    expect(queued()).toEqual([]);
    unit.sync.receive(event(assigned(1, waiting('EXP-1'))));
    expect(queued()).toEqual([]);
  });
});

describe('frames from the signoff.v1 stream client', () => {
  test('invalid frames are counted and dropped; only valid ones reach the sync engine, in order', async () => {
    const states: string[] = [];
    const { client, socket, counters } = await acceptedStream(unit, {
      onState: (state) => states.push(state.kind),
      onSessionEnded: () => {
        sessionEnded += 1;
      },
    });
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
    expect(unit.sync.appliedEvents).toBe(2);
    expect(states).toEqual(['connecting', 'online']);
    client.stop();
    expect(sessionEnded).toBe(0);
  });
});
