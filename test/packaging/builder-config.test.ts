// electron-builder.yml, loaded by electron-builder's own loader and checked against its own schema
// (app-builder-lib/scheme.json via ajv), plus the cross-file promises the schema cannot see: the
// appId Windows routes toasts by, the release fuses, and what gets unpacked from the archive.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Configuration } from 'app-builder-lib';
import { LinuxTargetHelper } from 'app-builder-lib/out/targets/LinuxTargetHelper';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';
import { describe, expect, it } from 'vitest';
import { APP_NAME, APP_USER_MODEL_ID, TOAST_ACTIVATOR_CLSID } from '../../main/adapters/app-identity';
import { DEEP_LINK_SCHEME } from '../../main/common/deep-link';
import { repoRoot } from '../support/stage-project';

const load = (configPath: string | null = null): Promise<Configuration> =>
  getConfig(repoRoot, configPath, null);
const validate = (config: Configuration) => validateConfiguration(config, new DebugLogger(false));

describe('electron-builder.yml against electron-builder’s schema', () => {
  it('is valid', async () => {
    await expect(validate(await load())).resolves.toBeUndefined();
  });

  it('would be rejected with an unknown key, at the top or nested (negative control)', async () => {
    const config = await load();
    await expect(validate({ ...config, bogusKey: true } as Configuration)).rejects.toThrow(/bogusKey/);
    await expect(
      validate({ ...config, nsis: { ...config.nsis, perMachin: false } } as Configuration),
    ).rejects.toThrow(/configuration\.nsis /);
  });

  it('has a tray-only macOS overlay that only adds LSUIElement', async () => {
    const base = await load();
    const trayOnly = await load('build/tray-only.yml');
    await expect(validate(trayOnly)).resolves.toBeUndefined();
    expect(base.mac?.extendInfo).toEqual({ LSUIElement: false });
    expect(trayOnly.mac?.extendInfo).toEqual({ LSUIElement: true });
    const { extends: _parent, mac: trayMac, ...trayRest } = trayOnly;
    const { mac: baseMac, ...baseRest } = base;
    expect(trayRest).toEqual(baseRest);
    expect({ ...trayMac, extendInfo: null }).toEqual({ ...baseMac, extendInfo: null });
  });
});

describe('electron-builder.yml consistency with the app', () => {
  it('uses the AppUserModelID and name the main process uses', async () => {
    const config = await load();
    expect(config.appId).toBe(APP_USER_MODEL_ID);
    expect(config.productName).toBe(APP_NAME);
    const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      productName: string;
    };
    expect(packageJson.productName).toBe(APP_NAME);
  });

  it('sets every release fuse', async () => {
    expect((await load()).electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      resetAdHocDarwinSignature: true,
    });
  });

  it('lets every production dependency through the node_modules allowlist, and nothing else', async () => {
    const config = await load();
    // getConfig normalises `files` into [{ filter: [...patterns] }].
    const patterns = [config.files ?? []]
      .flat()
      .flatMap((entry) => (typeof entry === 'string' ? [entry] : [entry?.filter ?? []].flat()));
    expect(patterns).toContain('node_modules/keytar/**');
    const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    // electron-builder applies the patterns in order and the last match wins.
    const included = (file: string) =>
      patterns.reduce(
        (keep, pattern) =>
          pattern.startsWith('!')
            ? keep && !minimatch(file, pattern.slice(1))
            : keep || minimatch(file, pattern),
        false,
      );
    for (const dependency of Object.keys(packageJson.dependencies)) {
      expect(included(`node_modules/${dependency}/package.json`), dependency).toBe(true);
    }
    expect(included('node_modules/prebuild-install/index.js')).toBe(false);
    expect(included('node_modules/node-addon-api/napi.h')).toBe(false);
  });

  it('unpacks keytar’s native module from the archive', async () => {
    const config = await load();
    expect(config.asar).not.toBe(false);
    const patterns = [config.asarUnpack ?? []].flat();
    const keytarBinary = 'node_modules/keytar/build/Release/keytar.node';
    expect(patterns.some((pattern) => minimatch(keytarBinary, pattern))).toBe(true);
  });

  it('builds a per-user one-click NSIS installer, AppImage + deb, and dmg + zip', async () => {
    const config = await load();
    expect(config.nsis).toMatchObject({ oneClick: true, perMachine: false, shortcutName: APP_NAME });
    expect(config.win?.target).toBe('nsis');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.deb?.depends).toContain('libsecret-1-0');
    expect(config.deb?.recommends).toContain('notification-daemon');
    expect(config.mac?.target).toEqual(['dmg', 'zip']);
  });

  it("stamps the Start-menu shortcut with the AppUserModelID and the app's ToastActivatorCLSID", async () => {
    const config = await load();
    expect(config.appId).toBe(APP_USER_MODEL_ID);
    expect(config.nsis?.createStartMenuShortcut).toBe(true);
    const include = config.nsis?.include;
    expect(include).toBe('build/installer.nsh');
    const script = readFileSync(path.join(repoRoot, include!), 'utf8');
    // The same CLSID the app passes to app.setToastActivatorCLSID, written as the shortcut's
    // ToastActivatorCLSID (VT_CLSID), and electron-builder's APP_ID (= appId) as its AppUserModelID.
    expect(script).toContain(`!define SIGNOFF_TOAST_ACTIVATOR_CLSID "${TOAST_ACTIVATOR_CLSID}"`);
    expect(script).toMatch(/PKEY_AppUserModel_ToastActivatorCLSID[\s\S]*\$\{VT_CLSID\},,r5/);
    expect(script).toMatch(/"\$\{APP_ID\}"[\s\S]*PKEY_AppUserModel_ID[\s\S]*\$\{VT_LPWSTR\},,r5/);
    expect(script).toMatch(/!macro customInstall[\s\S]*signoffStampShortcut "\$newStartMenuLink"/);
  });

  // makensis comes from Debian's `nsis`, which scripts/install-system-packages.sh installs; on a machine
  // without it (e.g. macOS running the suite) there is nothing to compile the include with.
  it.skipIf(!existsSync('/usr/bin/makensis'))(
    'the installer include compiles with makensis, warnings as errors',
    () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-nsis-'));
      try {
        // What electron-builder's installer provides around the include: APP_ID and $newStartMenuLink.
        const harness = path.join(dir, 'harness.nsi');
        writeFileSync(
          harness,
          [
            'Unicode true',
            `!define APP_ID "${APP_USER_MODEL_ID}"`,
            `OutFile "${path.join(dir, 'harness.exe')}"`,
            'RequestExecutionLevel user',
            'Var newStartMenuLink',
            `!include "${path.join(repoRoot, 'build/installer.nsh')}"`,
            'Section',
            '  StrCpy $newStartMenuLink "$SMPROGRAMS\\Signoff.lnk"',
            '  !insertmacro customInstall',
            'SectionEnd',
            '',
          ].join('\n'),
        );
        const result = spawnSync('makensis', ['-V2', '-WX', harness], { encoding: 'utf8' });
        expect(result.stdout + result.stderr).not.toMatch(/error/i);
        expect(result.status).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it('points every platform at icon files that exist, so nothing is converted or downloaded', async () => {
    const config = await load();
    const at = (file: string | null | undefined) => path.join(repoRoot, file ?? 'missing');
    expect(readFileSync(at(config.win?.icon)).subarray(0, 4)).toEqual(Buffer.from([0, 0, 1, 0]));
    expect(readFileSync(at(config.mac?.icon)).subarray(0, 4).toString('latin1')).toBe('icns');
    expect(readFileSync(path.join(at(config.linux?.icon), '512x512.png')).length).toBeGreaterThan(0);
  });
});

describe('signoff:// links in the installers (issue 13)', () => {
  it('registers the scheme the app parses, on every platform', async () => {
    const config = await load();
    expect(config.protocols).toEqual([{ name: 'Signoff claim link', schemes: [DEEP_LINK_SCHEME] }]);
  });

  it('gives the Linux desktop entry x-scheme-handler/signoff, and the entry passes desktop-file-validate', async () => {
    const config = await load();
    // electron-builder's own desktop-entry writer, fed the packaged config (no packaging run needed).
    const packager = {
      appInfo: { productName: APP_NAME, sanitizedProductName: APP_NAME, description: 'Expense approvals' },
      executableName: config.linux?.executableName,
      info: { metadata: { desktopName: 'signoff.desktop' } },
      fileAssociations: [],
      config,
      platformSpecificBuildOptions: config.linux,
    };
    const helper = new LinuxTargetHelper(
      packager as unknown as ConstructorParameters<typeof LinuxTargetHelper>[0],
    );
    const entry = await helper.computeDesktopEntry(config.linux ?? {});
    expect(entry).toMatch(/^MimeType=x-scheme-handler\/signoff;$/m);
    expect(entry).toMatch(/^Exec=.* %U$/m);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'signoff-desktop-'));
    try {
      const file = path.join(dir, 'signoff.desktop');
      writeFileSync(file, entry);
      const result = spawnSync('desktop-file-validate', [file], { encoding: 'utf8' });
      expect(
        result.error,
        'desktop-file-validate (Debian desktop-file-utils) must be installed',
      ).toBeUndefined();
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
