// Online by long-poll has its own words in the tray and the window, in both languages; every other
// state is named by its kind, and no kind of the schema goes without a label.
import { expect, test } from 'vitest';
import { CONNECTION_LABELS, connectionLabelOf } from '../../../main/common/connection-label';
import { ConnectionStateSchema } from '../../../main/common/connection-state-schema';
import { sharedStringsFor } from '../../../main/common/shared-strings';
import { en } from '../../../renderer/i18n/en';
import { zhCN } from '../../../renderer/i18n/zh-CN';

test('every kind of the schema is a label; online by long-poll is one more', () => {
  const kinds = ConnectionStateSchema.options.map((option) => option.shape.kind.value);
  expect([...CONNECTION_LABELS].sort()).toEqual([...kinds, 'online-long-poll'].sort());
  expect(connectionLabelOf({ kind: 'online' })).toBe('online');
  expect(connectionLabelOf(ConnectionStateSchema.parse({ kind: 'online', via: 'long-poll' }))).toBe(
    'online-long-poll',
  );
  expect(connectionLabelOf({ kind: 'offline', reason: 'x' })).toBe('offline');
});

test('the window and the tray say "online by long-poll" in English and 简体中文, distinct from plain online', () => {
  for (const [catalog, shared, words] of [
    [en, sharedStringsFor('en'), 'Online (long polling)'],
    [zhCN, sharedStringsFor('zh-CN'), '在线（长轮询）'],
  ] as const) {
    expect(catalog.connection('online-long-poll')).toBe(words);
    expect(shared.connection('online-long-poll')).toBe(words);
    expect(catalog.connection('online-long-poll')).not.toBe(catalog.connection('online'));
  }
});
