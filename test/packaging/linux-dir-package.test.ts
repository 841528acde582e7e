// Packages the app for real with electron-builder (`--linux dir`, the release config from
// electron-builder.yml) against a stub Electron, then opens what it produced: app.asar, the unpacked
// native module and the fused executable. Offline: the stub replaces the Electron download, the
// icons are ready-made, npmRebuild is off, and ELECTRON_BUILDER_CACHE points at an empty folder, so
// nothing cached by an earlier networked run can help.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import * as asar from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTOSTART_FILE_NAME } from '../../main/adapters/app-identity';
import { TRAY_ICON_STATES, trayIconFile } from '../../main/adapters/tray-icons';
import { createStubElectron, repoRoot, stageProject } from '../support/stage-project';

const run = promisify(execFile);
/** @electron/fuses' FuseState bytes ('0', '1'); its index does not re-export the enum. */
const FuseState = { DISABLE: 0x30, ENABLE: 0x31 } as const;
const PACKAGE_TIMEOUT_MS = 90_000;

interface PackageJson {
  main: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}
const packageJson = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageJson;

let workDir: string;
let appOutDir: string;
let archive: string;
let files: string[];
let builderLog: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(os.tmpdir(), 'signoff-packaging-'));
  // A release machine's `npm ci` also installs keytar's install-time dependencies (prebuild-install
  // and what it pulls in); this sandbox lacks prebuild-install, so one of those, rc, stands in for
  // them as a declared production dependency that the node_modules allowlist must keep out.
  const projectDir = stageProject(workDir, { extraDependencies: { rc: '^1.2.7' } });
  const electronDist = createStubElectron(workDir);
  const output = path.join(workDir, 'release');
  const cache = path.join(workDir, 'builder-cache');
  mkdirSync(cache);
  const cli = path.join(repoRoot, 'node_modules/electron-builder/cli.js');
  const result = await run(
    process.execPath,
    [
      cli,
      '--linux',
      'dir',
      // The host's arch: node_modules/keytar was built for it, and the afterPack check insists.
      `--${process.arch}`,
      '--publish',
      'never',
      `-c.electronDist=${electronDist}`,
      `-c.directories.output=${output}`,
    ],
    {
      cwd: projectDir,
      env: { ...builderEnv(), ELECTRON_BUILDER_CACHE: cache, CI: 'true', FORCE_COLOR: '0' },
      timeout: PACKAGE_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  builderLog = `${result.stdout}${result.stderr}`;
  appOutDir = path.join(output, 'linux-unpacked');
  archive = path.join(appOutDir, 'resources', 'app.asar');
  // listPackage gives "/dist/main/main.js"-style paths; compare without the leading slash.
  files = asar.listPackage(archive, { isPack: false }).map((entry) => entry.replace(/^[/\\]/, ''));
  const fileCount = files.filter((entry) => isFile(entry)).length;
  console.log(
    `packaging: app.asar ${(statSync(archive).size / 1024).toFixed(0)} KiB, ${fileCount} files ` +
      `(${files.length} entries incl. folders)`,
  );
}, PACKAGE_TIMEOUT_MS + 30_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

/** electron-builder stays silent when it sees VITEST in the environment; the test reads its log. */
function builderEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST')));
}

function isFile(entry: string): boolean {
  const stat = asar.statFile(archive, entry, false);
  return 'size' in stat;
}

function readFromAsar(entry: string): string {
  return asar.extractFile(archive, entry).toString('utf8');
}

describe('electron-builder --linux dir with the release config', () => {
  it('runs the afterPack native-module check and flips the fuses, without downloading anything', () => {
    expect(builderLog).toContain('using custom unpacked Electron distribution');
    expect(builderLog).toContain(
      `native modules match the target  platform=linux arch=${process.arch} count=1`,
    );
    expect(builderLog).toContain('executing @electron/fuses');
    expect(builderLog).not.toMatch(/downloading/i);
    expect(existsSync(path.join(appOutDir, 'signoff'))).toBe(true);
  });

  it('starts at package.json#main, which is in the archive', () => {
    const packaged = JSON.parse(readFromAsar('package.json')) as PackageJson & { desktopName?: string };
    expect(packaged.main).toBe(packageJson.main);
    // Electron's Linux app_id / WM_CLASS; must name the .desktop file the deb and AppImage install.
    expect(packaged.desktopName).toBe(AUTOSTART_FILE_NAME);
    expect(files).toContain(packageJson.main);
    expect(readFromAsar(packageJson.main)).toContain('signoff: ready');
  });

  it('holds the preload, the renderer page and its script', () => {
    for (const file of ['dist/preload/preload.js', 'dist/renderer/index.html', 'dist/renderer/app.js']) {
      expect(files).toContain(file);
    }
    expect(readFromAsar('dist/renderer/index.html')).toContain('src="app.js"');
  });

  it('holds every tray image the app can ask for on any platform, and the notification icon', () => {
    expect(files).toContain('assets/icon.png');
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      // Pending carries its count (1-9, then "9+" for 10) on Windows and Linux.
      const asked = [
        ...TRAY_ICON_STATES.map((state) => trayIconFile('/app/assets', state, platform)),
        ...[1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((count) =>
          trayIconFile('/app/assets', 'pending', platform, count),
        ),
      ];
      for (const asset of asked) {
        const file = path.relative('/app', asset).split(path.sep).join('/');
        expect(files).toContain(file);
        // Electron picks the @2x file next to it on HiDPI screens.
        expect(files).toContain(file.replace(/\.png$/, '@2x.png'));
      }
    }
  });

  it('keeps keytar outside the archive so its native module can be loaded', () => {
    const nativeModule = 'node_modules/keytar/build/Release/keytar.node';
    const entry = asar.statFile(archive, nativeModule, false);
    expect('unpacked' in entry && entry.unpacked).toBe(true);
    const onDisk = path.join(appOutDir, 'resources', 'app.asar.unpacked', nativeModule);
    expect(statSync(onDisk).size).toBeGreaterThan(1000);
    // keytar's JavaScript requires ../build/Release/keytar.node relative to itself, so it must be
    // unpacked too; otherwise the relative require would look inside the archive.
    expect(
      existsSync(path.join(appOutDir, 'resources', 'app.asar.unpacked', 'node_modules/keytar/lib/keytar.js')),
    ).toBe(true);
  });

  it('ships no tests, source maps, TypeScript sources or build-only files', () => {
    const offending = files.filter(
      (file) =>
        file.endsWith('.map') ||
        /\.(c|m)?tsx?$/.test(file) ||
        /^(test|main|preload|renderer|protocol|server-stub|bench|scripts|build|docs)\//.test(file) ||
        file.startsWith('assets/icon.svg') ||
        file.startsWith('assets/icons/') ||
        file === 'electron-builder.yml' ||
        file === 'tsconfig.json',
    );
    expect(offending).toEqual([]);
    for (const bundle of ['dist/main/main.js', 'dist/preload/preload.js', 'dist/renderer/app.js']) {
      expect(readFromAsar(bundle)).not.toContain('sourceMappingURL');
    }
  });

  it('holds only keytar from node_modules: no install-time or dev dependency', () => {
    // The stand-in was really declared, so its absence below is the allowlist's doing.
    expect(Object.keys((JSON.parse(readFromAsar('package.json')) as PackageJson).dependencies)).toContain(
      'rc',
    );
    const topLevelModules = new Set(
      files.filter((file) => /^node_modules\/[^/]+$/.test(file)).map((file) => file.split('/')[1]),
    );
    expect([...topLevelModules]).toEqual(['keytar']);
    for (const devDependency of Object.keys(packageJson.devDependencies)) {
      expect(files.some((file) => file.startsWith(`node_modules/${devDependency}/`))).toBe(false);
    }
  });

  it('flips every release fuse in the packaged executable', async () => {
    const wire = await getCurrentFuseWire(path.join(appOutDir, 'signoff'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(FuseState.DISABLE);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(FuseState.ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(FuseState.ENABLE);
    // Left at Electron's default on purpose (see electron-builder.yml).
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(FuseState.ENABLE);
  });
});
