// Builds a throwaway copy of the project that electron-builder can package offline, without touching
// the shared dist/ (other test files read it concurrently, with source maps).
//
// The copy holds: package.json, electron-builder.yml, the hook scripts and assets as real files;
// production bundles built into its own dist/ by a copy of scripts/build.mjs (the real build script,
// which resolves everything relative to its own folder); every other top-level folder of the repo
// (sources, tests, node_modules) as a symlink, so a leak of tests or dev dependencies into the
// package would be visible.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '../..');

/** Copied as real files: what the build reads or rewrites, and what the package must contain. */
const COPIED = ['package.json', 'electron-builder.yml', 'tsconfig.json', 'assets', 'scripts'];
/** Never staged: outputs of earlier runs and VCS data. */
const SKIPPED = new Set(['.git', 'dist', 'release', 'test-artifacts', ...COPIED]);

export interface StageOptions {
  /** Added to the staged package.json#dependencies (the packages must be in node_modules). */
  extraDependencies?: Record<string, string>;
}

export function stageProject(workDir: string, options: StageOptions = {}): string {
  const projectDir = path.join(workDir, 'project');
  mkdirSync(projectDir, { recursive: true });
  for (const name of COPIED) {
    cpSync(path.join(repoRoot, name), path.join(projectDir, name), { recursive: true });
  }
  if (options.extraDependencies) {
    const file = path.join(projectDir, 'package.json');
    const packageJson = JSON.parse(readFileSync(file, 'utf8')) as { dependencies?: Record<string, string> };
    packageJson.dependencies = { ...packageJson.dependencies, ...options.extraDependencies };
    writeFileSync(file, `${JSON.stringify(packageJson, null, 2)}\n`);
  }
  for (const entry of readdirSync(repoRoot, { withFileTypes: true })) {
    // A linked node_modules (a git worktree sharing one install) counts as a folder too.
    if (SKIPPED.has(entry.name) || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
    symlinkSync(path.join(repoRoot, entry.name), path.join(projectDir, entry.name), 'dir');
  }
  execFileSync(process.execPath, ['scripts/build.mjs', '--production', '--only', 'main,preload,renderer'], {
    cwd: projectDir,
    stdio: 'pipe',
    env: { ...process.env, SIGNOFF_BUILD_QUIET: '1' },
  });
  return projectDir;
}

/** @electron/fuses' marker: the fuse wire (version, length, one byte per fuse) follows it. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron 45's shipped fuse states, in FuseV1Options order ('1' on, '0' off). */
const ELECTRON_DEFAULT_FUSES = '10110001';

/**
 * A stand-in for an unpacked Electron download: one executable named `electron` (a shell script)
 * carrying a fuse wire like the real binary's, so electron-builder can copy, rename and flip fuses
 * in it without a 100 MB download. No default_app.asar, as in a real distribution after packaging.
 */
export function createStubElectron(workDir: string): string {
  const dir = path.join(workDir, 'electron-dist');
  mkdirSync(dir, { recursive: true });
  const wire = `${FUSE_SENTINEL}\x01${String.fromCharCode(ELECTRON_DEFAULT_FUSES.length)}${ELECTRON_DEFAULT_FUSES}`;
  const script = `#!/bin/sh\n# stub Electron for packaging tests\n# ${wire}\necho "stub electron $*"\n`;
  writeFileSync(path.join(dir, 'electron'), script, 'latin1');
  chmodSync(path.join(dir, 'electron'), 0o755);
  return dir;
}
