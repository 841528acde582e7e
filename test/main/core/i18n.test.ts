import { expect, test } from 'vitest';
import { resolveLocale } from '../../../main/core/i18n';

test('locale: settings win, then the OS (any Chinese → zh-CN), else English', () => {
  expect(resolveLocale(null, 'zh-TW')).toBe('zh-CN');
  expect(resolveLocale(null, 'zh_CN')).toBe('zh-CN');
  expect(resolveLocale(null, 'de-DE')).toBe('en');
  expect(resolveLocale('en', 'zh-CN')).toBe('en');
});
