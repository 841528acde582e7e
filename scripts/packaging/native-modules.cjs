// electron-builder afterPack hook (electron-builder.yml#afterPack): fails the build when a native
// module in the package was compiled for another OS or CPU than the package is for.
//
// Why: npmRebuild is off (keytar is N-API, so the binary npm built loads in Electron as is), which
// means the package ships whatever node_modules holds. Building the Windows installer on Linux would
// silently ship a Linux keytar.node; the app would then fall back to weaker secret storage at run
// time instead of failing here. CommonJS so electron-builder can require() it; no dependencies.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** electron-builder's `Arch` enum, by value. */
const ARCH_BY_ENUM = ['ia32', 'x64', 'armv7l', 'arm64', 'universal'];

const ELF_MACHINES = { 3: 'ia32', 40: 'armv7l', 62: 'x64', 183: 'arm64' };
const PE_MACHINES = { 332: 'ia32', 452: 'armv7l', 34404: 'x64', 43620: 'arm64' };
const MACHO_CPUS = { 7: 'ia32', 16777223: 'x64', 12: 'armv7l', 16777228: 'arm64' };

/**
 * Which OS family and CPU(s) a native binary is for, read from its header; null when it is none of
 * ELF, PE or Mach-O.
 * @param {Buffer} bytes the first few kilobytes of the file (all of it is fine)
 * @returns {{ platform: 'linux' | 'win32' | 'darwin', archs: string[] } | null}
 */
function describeBinary(bytes) {
  const name = (table, key) => table[key] ?? `unknown-0x${key.toString(16)}`;
  if (bytes.length >= 20 && bytes.readUInt32BE(0) === 0x7f454c46) {
    // ELF: EI_DATA (byte 5) gives the byte order of e_machine at offset 18.
    const machine = bytes[5] === 2 ? bytes.readUInt16BE(18) : bytes.readUInt16LE(18);
    return { platform: 'linux', archs: [name(ELF_MACHINES, machine)] };
  }
  if (bytes.length >= 0x40 && bytes.readUInt16BE(0) === 0x4d5a) {
    // MZ stub; e_lfanew at 0x3c points at "PE\0\0", followed by the COFF Machine field.
    const pe = bytes.readUInt32LE(0x3c);
    if (pe + 6 <= bytes.length && bytes.readUInt32BE(pe) === 0x50450000) {
      return { platform: 'win32', archs: [name(PE_MACHINES, bytes.readUInt16LE(pe + 4))] };
    }
    return null;
  }
  if (bytes.length >= 8) {
    const magicLE = bytes.readUInt32LE(0);
    if (magicLE === 0xfeedfacf || magicLE === 0xfeedface) {
      return { platform: 'darwin', archs: [name(MACHO_CPUS, bytes.readUInt32LE(4))] };
    }
    if (bytes.readUInt32BE(0) === 0xcafebabe) {
      // Universal ("fat") binary: big-endian count, then 20-byte fat_arch records led by cputype.
      const count = bytes.readUInt32BE(4);
      const archs = [];
      for (let i = 0; i < count && 8 + 20 * i + 4 <= bytes.length; i += 1) {
        archs.push(name(MACHO_CPUS, bytes.readUInt32BE(8 + 20 * i)));
      }
      return { platform: 'darwin', archs };
    }
  }
  return null;
}

/** Every *.node file under `dir`, as absolute paths. */
function findNativeModules(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.node'))
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .sort();
}

/** The native modules a packaged app holds: unpacked next to app.asar, or in resources/app without asar. */
function nativeModulesIn(resourcesDir) {
  return [path.join(resourcesDir, 'app.asar.unpacked'), path.join(resourcesDir, 'app')].flatMap(
    findNativeModules,
  );
}

/**
 * Problems with the native modules under `resourcesDir` for a package targeting platform/arch; an
 * empty list means every binary fits. `platform` is Electron's name (darwin, mas, win32, linux).
 * @returns {string[]}
 */
function checkNativeModules(resourcesDir, platform, arch) {
  const wantPlatform = platform === 'mas' ? 'darwin' : platform;
  const wantArchs = arch === 'universal' ? ['x64', 'arm64'] : [arch];
  const problems = [];
  for (const file of nativeModulesIn(resourcesDir)) {
    const shown = path.relative(resourcesDir, file);
    const found = describeBinary(fs.readFileSync(file));
    if (!found) {
      problems.push(`${shown} is not a native binary this check recognises`);
    } else if (found.platform !== wantPlatform || !wantArchs.every((a) => found.archs.includes(a))) {
      problems.push(
        `${shown} is built for ${found.platform}-${found.archs.join('+')}, ` +
          `but this package is for ${wantPlatform}-${wantArchs.join('+')}`,
      );
    }
  }
  return problems;
}

/** @param {import('app-builder-lib').AfterPackContext} context */
async function afterPack(context) {
  const arch = ARCH_BY_ENUM[context.arch] ?? String(context.arch);
  const resourcesDir = context.packager.getResourcesDir(context.appOutDir);
  const problems = checkNativeModules(resourcesDir, context.electronPlatformName, arch);
  if (problems.length > 0) {
    throw new Error(
      `native modules do not match the target:\n  ${problems.join('\n  ')}\n` +
        'Build each installer on its own OS and CPU after `npm ci` there (see docs/packaging.md).',
    );
  }
  // Same shape as electron-builder's own log lines; the packaging test looks for it.
  const count = nativeModulesIn(resourcesDir).length;
  console.log(
    `  • native modules match the target  platform=${context.electronPlatformName} arch=${arch} count=${count}`,
  );
}

module.exports = { afterPack, checkNativeModules, describeBinary, ARCH_BY_ENUM };
