// The small pure pieces, and the settings file on a real disk.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { Backoff } from '../../main/core/backoff';
import { trayModelOf } from '../../main/core/desktop-core';
import { resolveLocale } from '../../main/core/i18n';
import { SignInError } from '../../main/core/ports';
import { QueueStore } from '../../main/core/queue-store';
import { isInQuietHours, quietHoursEnd } from '../../main/core/quiet-hours';
import { parseServerUrl } from '../../main/core/server-url';
import { makeCore } from './core-harness';
import { claimSummary } from './fake-server';

describe('backoff', () => {
  const options = { baseMs: 1_000, capMs: 30_000, stableMs: 30_000 };

  test('windows double from the base and stop at the cap (≤ 30 s)', () => {
    const top = new Backoff(options, () => 0.999_999);
    const delays = Array.from({ length: 10 }, () => top.next().delayMs);
    expect(delays).toEqual([999, 1999, 3999, 7999, 15_999, 29_999, 29_999, 29_999, 29_999, 29_999]);
    expect(() => new Backoff({ ...options, capMs: 60_000 })).toThrow();
  });

  test('full jitter: every delay in [0, window), spread over the whole window', () => {
    const backoff = new Backoff(options);
    const samples = Array.from({ length: 2_000 }, () => {
      backoff.reset();
      for (let i = 0; i < 3; i += 1) backoff.next();
      return backoff.next().delayMs; // attempt 3: window 8 s
    });
    expect(Math.min(...samples)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...samples)).toBeLessThan(8_000);
    expect(Math.min(...samples)).toBeLessThan(800);
    expect(Math.max(...samples)).toBeGreaterThan(7_200);
  });

  test('resets only after a connection that stayed up for stableMs', () => {
    const backoff = new Backoff(options, () => 0.5);
    for (let i = 0; i < 5; i += 1) backoff.next();
    backoff.connectionEnded(29_999);
    expect(backoff.attempts).toBe(5);
    backoff.connectionEnded(null);
    expect(backoff.attempts).toBe(5);
    backoff.connectionEnded(30_000);
    expect(backoff.attempts).toBe(0);
    expect(backoff.next().delayMs).toBe(500);
  });
});

describe('server address', () => {
  test('normalises what people type', () => {
    expect(parseServerUrl(' signoff.example.com/ ', false)).toMatchObject({
      baseUrl: 'https://signoff.example.com',
      wsBase: 'wss://signoff.example.com',
      origin: 'https://signoff.example.com',
    });
    expect(parseServerUrl('wss://corp.example:8443/signoff/', false).baseUrl).toBe(
      'https://corp.example:8443/signoff',
    );
    expect(parseServerUrl('http://127.0.0.1:8080', false).wsBase).toBe('ws://127.0.0.1:8080');
    expect(parseServerUrl('http://localhost:1', false).loopback).toBe(true);
    expect(parseServerUrl('http://[::1]:1', false).loopback).toBe(true);
    expect(parseServerUrl('http://intranet:1', true).secure).toBe(false);
  });

  test.each([
    ['http://intranet.example', 'insecure-url'],
    ['http://127.evil.example', 'insecure-url'],
    ['ftp://example.com', 'invalid-url'],
    ['https://a@example.com', 'invalid-url'],
    ['https://example.com/?x=1', 'invalid-url'],
    ['', 'invalid-url'],
    ['https://exa mple.com', 'invalid-url'],
  ])('%s → %s', (input, kind) => {
    const error = (() => {
      try {
        parseServerUrl(input, false);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(SignInError);
    expect((error as SignInError).kind).toBe(kind);
  });
});

describe('quiet hours (local time)', () => {
  const at = (h: number, m = 0) => new Date(2026, 2, 10, h, m).getTime();
  const night = { enabled: true, start: '22:00', end: '07:30' };

  test('wrapping midnight', () => {
    expect(isInQuietHours(night, at(21, 59))).toBe(false);
    expect(isInQuietHours(night, at(22, 0))).toBe(true);
    expect(isInQuietHours(night, at(3, 0))).toBe(true);
    expect(isInQuietHours(night, at(7, 30))).toBe(false);
    expect(quietHoursEnd(night, at(23, 0))).toBe(new Date(2026, 2, 11, 7, 30).getTime());
    expect(quietHoursEnd(night, at(3, 0))).toBe(at(7, 30));
    expect(quietHoursEnd(night, at(12, 0))).toBe(at(12, 0));
  });

  test('same-day window, disabled and empty windows', () => {
    const lunch = { enabled: true, start: '12:00', end: '13:00' };
    expect(isInQuietHours(lunch, at(12, 30))).toBe(true);
    expect(isInQuietHours(lunch, at(13, 0))).toBe(false);
    expect(isInQuietHours({ ...lunch, enabled: false }, at(12, 30))).toBe(false);
    expect(isInQuietHours({ enabled: true, start: '09:00', end: '09:00' }, at(9, 0))).toBe(false);
  });
});

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

test('locale: settings win, then the OS (any Chinese → zh-CN), else English', () => {
  expect(resolveLocale(null, 'zh-TW')).toBe('zh-CN');
  expect(resolveLocale(null, 'zh_CN')).toBe('zh-CN');
  expect(resolveLocale(null, 'de-DE')).toBe('en');
  expect(resolveLocale('en', 'zh-CN')).toBe('en');
});

describe('settings file', () => {
  test('not JSON → set aside as settings.corrupt-<ts>.json, defaults used, logged', async () => {
    const handle = await makeCore();
    await handle.core.stop();
    writeFileSync(path.join(handle.dir.path, 'settings.json'), '{"locale": "zh-CN", oops');
    await handle.restart();
    const aside = readdirSync(handle.dir.path).filter((f) => /^settings\.corrupt-\d+\.json$/.test(f));
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(handle.dir.path, aside[0]!), 'utf8')).toContain('oops');
    expect(handle.core.snapshot().settings).toMatchObject({ locale: null, notificationsEnabled: true });
    expect(handle.log.lines.some((l) => l.level === 'warn' && l.message.includes('set it aside'))).toBe(true);
    await handle.dispose();
  });

  test('valid JSON with a bad field → set aside; a partial file keeps its fields and defaults the rest', async () => {
    const handle = await makeCore();
    await handle.core.stop();
    const file = path.join(handle.dir.path, 'settings.json');
    writeFileSync(file, JSON.stringify({ quietHours: { enabled: true, start: '25:00', end: '07:00' } }));
    await handle.restart();
    expect(readdirSync(handle.dir.path).some((f) => f.startsWith('settings.corrupt-'))).toBe(true);
    expect(handle.core.snapshot().settings.quietHours.enabled).toBe(false);

    await handle.core.stop();
    writeFileSync(file, JSON.stringify({ locale: 'zh-CN', reminders: { afterHours: 8 } }));
    await handle.restart();
    const { settings } = handle.core.snapshot();
    expect(settings).toMatchObject({
      locale: 'zh-CN',
      reminders: { enabled: true, afterHours: 8 },
      startAtLogin: false,
    });
    expect(handle.core.snapshot().locale).toBe('zh-CN');
    await handle.dispose();
  });

  test('updates are validated, written atomically and survive a restart; the tray model follows', async () => {
    const handle = await makeCore();
    await expect(
      handle.core.updateSettings({ quietHours: { enabled: true, start: '7am', end: '08:00' } }),
    ).rejects.toThrow();
    const until = Date.now() + 3600_000;
    await handle.core.updateSettings({ pausedUntil: until, startAtLogin: true });
    expect(readdirSync(handle.dir.path).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await handle.restart();
    const snapshot = handle.core.snapshot();
    expect(snapshot.settings).toMatchObject({ pausedUntil: until, startAtLogin: true });
    expect(trayModelOf(snapshot)).toEqual({
      connection: 'signed-out',
      pendingCount: 0,
      userName: null,
      pausedUntil: until,
      startAtLogin: true,
      locale: 'en',
    });
    await handle.dispose();
  });
});
