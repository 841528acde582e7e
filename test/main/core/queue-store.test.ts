import { expect, test } from 'vitest';
import { QueueStore } from '../../../main/core/queue-store';
import { claimSummary } from '../../support/fake-server';

test('queue: oldest first by currentStepSince; older versions never overwrite newer', () => {
  const queue = new QueueStore();
  queue.upsert(claimSummary('B', { currentStepSince: '2026-01-02T00:00:00.000Z' }));
  queue.upsert(claimSummary('A', { currentStepSince: '2026-01-03T00:00:00.000Z' }));
  queue.upsert(claimSummary('C', { currentStepSince: '2026-01-01T00:00:00.000Z', version: 3 }));
  expect(queue.list().map((c) => c.id)).toEqual(['C', 'B', 'A']);
  expect(queue.upsert(claimSummary('C', { version: 2 }))).toBe(false);
  expect(queue.remove('C', 2)).toBe(false);
  expect(queue.remove('C', 3)).toBe(true);
  expect(queue.list().map((c) => c.id)).toEqual(['B', 'A']);
});
