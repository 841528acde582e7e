// The settings file on a real disk: corrupt files set aside, partial files completed, updates atomic.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { trayModelOf } from '../../../main/core/desktop-core';
import { PROXY_CREDENTIALS_ACCOUNT } from '../../../main/core/proxy-credentials';
import { makeCore } from '../../support/core-harness';

describe('settings file', () => {
  test('a proxy password left in an older settings.json moves to the secret store; the file and snapshot lose it', async () => {
    const handle = await makeCore();
    await handle.core.stop();
    const file = path.join(handle.dir.path, 'settings.json');
    const password = 'Old-file-proxy-p@ss';
    const url = `http://approver:${encodeURIComponent(password)}@proxy.example.com:3128`;
    writeFileSync(file, JSON.stringify({ proxy: { mode: 'manual', url } }));
    await handle.restart();
    expect(JSON.parse(readFileSync(file, 'utf8')).proxy).toEqual({
      mode: 'manual',
      url: 'http://proxy.example.com:3128/',
    });
    expect(JSON.parse((await handle.secrets.get(PROXY_CREDENTIALS_ACCOUNT)) ?? '{}')).toEqual({
      username: 'approver',
      password,
    });
    expect(handle.core.snapshot().proxyUser).toBe('approver');
    for (const text of [
      readFileSync(file, 'utf8'),
      JSON.stringify(handle.core.snapshot()),
      handle.log.text(),
    ]) {
      expect(text).not.toContain(encodeURIComponent(password));
      expect(text).not.toContain(password);
    }
    await handle.dispose();
  });

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
      unreadAnnouncements: 0,
    });
    await handle.dispose();
  });
});
