// Issue 10 item 4: a flood from the server (valid or not) must not reach the screen, the disk or the
// log one item at a time. All on a manual clock: the limits are about counts within windows of time.
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { MAX_KEYS } from '../../../main/core/account-state';
import type { ServerFrame } from '../../../protocol';
import { acceptedStream, assigned, settle, useSyncRig, waiting } from '../../support/core-units';
import { EPOCH, welcome } from '../../support/fake-server';

const unit = useSyncRig();

const live = (seq: number, id: string): ServerFrame => ({
  type: 'event',
  epoch: EPOCH,
  event: assigned(seq, waiting(id)),
});

test('1,000 live claim.assigned events become a handful of notifications, the summary updated in place', async () => {
  await unit.sync.prepare();
  unit.sync.receive(JSON.parse(welcome(0)));
  // One event per millisecond: all of them inside one 10 s window.
  for (let seq = 1; seq <= 1_000; seq += 1) {
    unit.sync.receive(live(seq, `EXP-${seq}`));
    unit.rig.clock.advance(1);
  }
  unit.rig.clock.advance(30_000);
  const shown = unit.rig.notifier.shown;
  console.log(
    `live flood: 1,000 events → ${shown.length} notifications (${[...new Set(shown.map((n) => n.id.split(':')[0]))].join(', ')})`,
  );
  expect(unit.rig.queue.size).toBe(1_000);
  expect(shown.length).toBeLessThanOrEqual(6);
  const summaries = shown.filter((n) => n.id.startsWith('summary:'));
  expect(new Set(summaries.map((n) => n.id))).toEqual(new Set(['summary:waiting']));
  // The last update counts everything that is waiting.
  expect(summaries.at(-1)?.title).toBe('1000 claims are waiting for you');

  // Never twice for the same claim and step, flood or not: replays and a snapshot show nothing new.
  const before = shown.length;
  unit.api.snapshot = { cursor: { epoch: EPOCH, seq: 1_000 }, claims: unit.rig.queue.list() };
  unit.sync.receive({ type: 'reset', cursor: { epoch: EPOCH, seq: 1_000 }, reason: 'expired' });
  await settle();
  unit.rig.clock.advance(30_000);
  expect(unit.rig.notifier.shown.length).toBe(before);
});

test('three live claims in 10 s are shown one by one; a slow trickle never turns into a summary', () => {
  for (let i = 1; i <= 3; i += 1) {
    unit.rig.queue.upsert(waiting(`EXP-${i}`));
    unit.rig.policy.claimWaiting(waiting(`EXP-${i}`));
  }
  for (let i = 4; i <= 8; i += 1) {
    unit.rig.clock.advance(11_000);
    unit.rig.queue.upsert(waiting(`EXP-${i}`));
    unit.rig.policy.claimWaiting(waiting(`EXP-${i}`));
  }
  expect(unit.rig.notifier.claimIds()).toEqual([
    'EXP-1',
    'EXP-2',
    'EXP-3',
    'EXP-4',
    'EXP-5',
    'EXP-6',
    'EXP-7',
    'EXP-8',
  ]);
  expect(unit.rig.notifier.shown.every((n) => n.id.startsWith('claim:'))).toBe(true);
});

test('the persisted key sets stay within the cap on every write, not only when a session opens', async () => {
  for (let i = 1; i <= 10_000; i += 1) {
    unit.rig.policy.claimWaiting(waiting(`EXP-${i}`));
    unit.rig.clock.advance(1);
  }
  expect(Object.keys(unit.rig.state.data.notified).length).toBeLessThanOrEqual(MAX_KEYS);
  expect(Object.keys(unit.rig.state.data.reminded).length).toBeLessThanOrEqual(MAX_KEYS);
  // The newest keys are the ones kept: the claims still arriving must not be shown again.
  expect(unit.rig.state.wasNotified('EXP-10000#0')).toBe(true);
  await unit.rig.state.save();
  const saved = JSON.parse(readFileSync(unit.rig.state.file, 'utf8'));
  expect(Object.keys(saved.notified).length).toBeLessThanOrEqual(MAX_KEYS);
  expect(Object.keys(saved.reminded).length).toBeLessThanOrEqual(MAX_KEYS);
});

test('5,000 invalid frames make a few log lines that count them all', async () => {
  const { client, socket, counters } = await acceptedStream(unit);
  socket.receive(welcome(0));
  // 5,000 bad frames over 25 s (one per 5 ms), then quiet.
  for (let i = 0; i < 5_000; i += 1) {
    socket.receive(JSON.stringify({ type: 'mystery', i }));
    unit.rig.clock.advance(5);
  }
  unit.rig.clock.advance(20_000);
  client.stop();

  const lines = unit.rig.log.lines.filter((line) => line.message.includes('match the protocol'));
  const counted = lines.reduce((sum, line) => sum + Number(line.fields?.dropped ?? 0), 0);
  console.log(`invalid flood: 5,000 frames → ${lines.length} log lines`);
  expect(counters.invalid).toBe(5_000);
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.length).toBeLessThanOrEqual(5);
  expect(counted).toBe(5_000);
});
