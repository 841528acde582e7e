// Notification keys are persisted in every account file: built and parsed in one module, and the
// account state keeps those of queued claims while forgetting old ones.
import { afterAll, expect, test } from 'vitest';
import { AccountState } from '../../../main/core/account-state';
import {
  announcementKey,
  claimIdOfKey,
  claimStepKey,
  delegationKey,
  outcomeKey,
} from '../../../main/core/notification-keys';
import { captureLogger, makeTempDir } from '../../support/core-fakes';
import { waiting } from '../../support/core-units';

const DAY = 24 * 3600_000;
const dir = makeTempDir('signoff-keys-');
afterAll(() => dir.remove());

test('the formats on disk, and parsing them back to the claim they are about', () => {
  expect(claimStepKey(waiting('EXP-1', 2))).toBe('EXP-1#2');
  expect(claimStepKey({ ...waiting('EXP-1'), currentStep: null })).toBeNull();
  expect(outcomeKey('EXP-1', 'approved')).toBe('EXP-1@approved');
  expect(announcementKey('a#1')).toBe('announcement:a#1');
  expect(claimIdOfKey('EXP-1#2')).toBe('EXP-1');
  expect(claimIdOfKey('EXP-1@rejected')).toBe('EXP-1');
  expect(claimIdOfKey(announcementKey('a#1'))).toBeNull();
  expect(delegationKey('DEL-000001', 'started')).toBe('delegation:DEL-000001:started');
  expect(claimIdOfKey(delegationKey('DEL-000001', 'ended'))).toBeNull();
});

test('pruning forgets old keys unless their claim is still queued', () => {
  const state = new AccountState(dir.path, 'unit|bob', captureLogger());
  const now = 100 * DAY;
  const old = now - 31 * DAY;
  for (const key of ['EXP-1#0', 'EXP-1@approved', 'EXP-2#0', announcementKey('a1')])
    state.markNotified(key, old);
  state.markReminded('EXP-1#0', old);
  state.markReminded('EXP-2#0', old);
  state.markNotified('EXP-3#0', now - DAY);

  state.prune(now, (claimId) => claimId === 'EXP-1');
  expect(Object.keys(state.data.notified).sort()).toEqual(['EXP-1#0', 'EXP-1@approved', 'EXP-3#0']);
  expect(Object.keys(state.data.reminded)).toEqual(['EXP-1#0']);
});
