// The afterPack check that stops a build from shipping a native module for the wrong OS or CPU
// (scripts/packaging/native-modules.cjs), on the real keytar binary and on hand-made headers.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { AfterPackContext } from 'app-builder-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/stage-project';

type NativeModules = typeof import('../../scripts/packaging/native-modules.cjs');
const { afterPack, checkNativeModules, describeBinary, ARCH_BY_ENUM } = createRequire(import.meta.url)(
  '../../scripts/packaging/native-modules.cjs',
) as NativeModules;

const keytarBinary = path.join(repoRoot, 'node_modules/keytar/build/Release/keytar.node');

function header(size: number, write: (bytes: Buffer) => void): Buffer {
  const bytes = Buffer.alloc(size);
  write(bytes);
  return bytes;
}

describe('describeBinary', () => {
  it('reads the real keytar.node as a binary for this machine', () => {
    expect(describeBinary(readFileSync(keytarBinary))).toEqual({ platform: 'linux', archs: [process.arch] });
  });

  it('recognises Windows PE, macOS Mach-O and universal binaries', () => {
    const pe = header(0x100, (b) => {
      b.write('MZ', 0, 'latin1');
      b.writeUInt32LE(0x80, 0x3c);
      b.write('PE\0\0', 0x80, 'latin1');
      b.writeUInt16LE(0x8664, 0x84);
    });
    expect(describeBinary(pe)).toEqual({ platform: 'win32', archs: ['x64'] });

    const macho = header(32, (b) => {
      b.writeUInt32LE(0xfeedfacf, 0);
      b.writeUInt32LE(0x0100000c, 4);
    });
    expect(describeBinary(macho)).toEqual({ platform: 'darwin', archs: ['arm64'] });

    const fat = header(48, (b) => {
      b.writeUInt32BE(0xcafebabe, 0);
      b.writeUInt32BE(2, 4);
      b.writeUInt32BE(0x01000007, 8);
      b.writeUInt32BE(0x0100000c, 28);
    });
    expect(describeBinary(fat)).toEqual({ platform: 'darwin', archs: ['x64', 'arm64'] });
  });

  it('returns null for something that is not a native binary', () => {
    expect(describeBinary(Buffer.from('module.exports = {};\n'))).toBeNull();
  });
});

describe('afterPack native-module check', () => {
  let resourcesDir: string;
  beforeAll(() => {
    resourcesDir = mkdtempSync(path.join(os.tmpdir(), 'signoff-native-'));
    const target = path.join(resourcesDir, 'app.asar.unpacked/node_modules/keytar/build/Release');
    mkdirSync(target, { recursive: true });
    copyFileSync(keytarBinary, path.join(target, 'keytar.node'));
  });
  afterAll(() => rmSync(resourcesDir, { recursive: true, force: true }));

  const context = (platform: string, arch: string) =>
    ({
      appOutDir: '/unused',
      electronPlatformName: platform,
      arch: ARCH_BY_ENUM.indexOf(arch),
      packager: { getResourcesDir: () => resourcesDir },
    }) as unknown as AfterPackContext;

  it('passes a package for the platform and arch keytar was built for', async () => {
    expect(checkNativeModules(resourcesDir, 'linux', process.arch)).toEqual([]);
    await expect(afterPack(context('linux', process.arch))).resolves.toBeUndefined();
  });

  it('fails a Windows or macOS package that would ship this Linux keytar.node', async () => {
    await expect(afterPack(context('win32', 'x64'))).rejects.toThrow(
      /keytar\.node is built for linux-.* but this package is for win32-x64/,
    );
    await expect(afterPack(context('darwin', 'universal'))).rejects.toThrow(/darwin-x64\+arm64/);
  });

  it('fails a package for another CPU', () => {
    const other = process.arch === 'arm64' ? 'x64' : 'arm64';
    expect(checkNativeModules(resourcesDir, 'linux', other)).toEqual([
      expect.stringContaining(`but this package is for linux-${other}`),
    ]);
  });
});
