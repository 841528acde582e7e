// Issue 10 item 6, end to end in the core: a claim whose title, submitter and reason carry bidi
// overrides, markup and control characters arrives through the sync engine; what the Notifier and the
// tray model receive is inert.
import { expect, test } from 'vitest';
import { trayModelOf } from '../../../main/core/desktop-core';
import { defaultSettings } from '../../../main/core/settings';
import type { ServerFrame, UserEvent } from '../../../protocol';
import { assigned, useSyncRig, waiting } from '../../support/core-units';
import { EPOCH, welcome } from '../../support/fake-server';

const unit = useSyncRig();

const HOSTILE_TITLE = '\u202E<b>Refund</b>\u0007 exe.\u001b[2J&#8238;';
const frame = (event: UserEvent): ServerFrame => ({ type: 'event', epoch: EPOCH, event });

test('a hostile claim title reaches the notifier inert', async () => {
  await unit.sync.prepare();
  unit.sync.receive(JSON.parse(welcome(0)));
  const claim = {
    ...waiting('EXP-1'),
    title: HOSTILE_TITLE,
    submitter: { id: 'mallory', name: 'Mal\u202Elory\n<i>CEO</i>' },
  };
  unit.sync.receive(frame(assigned(1, claim)));
  const own = { ...waiting('EXP-2'), title: `${'<u>long</u> '.repeat(40)}end`, currentStep: null };
  unit.sync.receive(
    frame({
      seq: 2,
      at: new Date().toISOString(),
      type: 'claim.rejected',
      claim: own,
      by: { id: 'eve', name: 'Eve\u2066' },
      reason: `no\r\n\u009b${'x'.repeat(2_000)}`,
    }),
  );

  const [shown, outcome] = unit.rig.notifier.shown;
  expect(shown).toMatchObject({
    id: 'claim:EXP-1',
    title: 'New claim from Mallory ‹i›CEO‹/i›',
    body: '‹b›Refund‹/b› exe.[2J＆#8238; · CN¥123.45',
  });
  expect(outcome?.title).toBe('Your claim was rejected');
  expect(Array.from(outcome?.body ?? '')).toHaveLength(300);
  expect(outcome?.body.endsWith('…')).toBe(true);
  for (const { title, body } of unit.rig.notifier.shown) {
    expect(`${title}${body}`).not.toMatch(/[\p{Cc}\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c<>&]/u);
  }
});

test('the tray model carries the user name inert', () => {
  const model = trayModelOf({
    connection: { kind: 'online' },
    user: { id: 'bob', name: '\u202EBob\u0007 <b>Li</b>', department: 'Sales', roles: [], supervisor: null },
    serverUrl: 'https://signoff.example.com',
    queue: [],
    secretStorage: 'memory',
    settings: defaultSettings(),
    locale: 'en',
    announcements: [],
    listsRevision: 0,
    proxyUser: null,
  });
  expect(model.userName).toBe('Bob ‹b›Li‹/b›');
});
