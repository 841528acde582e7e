// Bundles every runnable part of Signoff with esbuild into dist/.
// Usage: node scripts/build.mjs [--only main,preload,renderer,preview,stub,bench,contract] [--watch]
// An entry whose source file does not exist yet is skipped, so the table can name parts before they land.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { rendererBuildOptions } from './renderer-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: { only: { type: 'string' }, production: { type: 'boolean', default: false } },
});
const only = values.only ? new Set(values.only.split(',')) : null;

// ws tries these optional native speed-ups with require() inside try/catch; leave them out of bundles.
const wsOptional = ['bufferutil', 'utf-8-validate'];

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: values.production ? false : 'linked',
  // Release bundles are minified; names are kept so error messages and stack traces stay readable.
  minify: values.production,
  keepNames: true,
  logLevel: 'warning',
  legalComments: 'none',
};

const parts = {
  // Electron main process: everything bundled except Electron itself and keytar's native module.
  main: [
    {
      ...node,
      entryPoints: ['main/main.ts'],
      outfile: 'dist/main/main.js',
      // dbus-next's optional extras, never installed: usocket (a native socket; node:net serves a
      // unix:path bus) and x11 (finds a bus without DBUS_SESSION_BUS_ADDRESS; we never ask it to).
      external: ['electron', 'keytar', 'usocket', 'x11', ...wsOptional],
    },
  ],
  // Sandboxed preload: one CommonJS file whose only require is electron.
  preload: [
    {
      ...node,
      entryPoints: ['preload/preload.ts'],
      outfile: 'dist/preload/preload.js',
      external: ['electron'],
    },
  ],
  renderer: [rendererBuildOptions({ production: values.production })],
  // Dev harness: serves the built renderer with window.signoff backed by the real core over HTTP (npm run preview).
  preview: [
    {
      ...node,
      entryPoints: ['scripts/preview.ts'],
      outfile: 'dist/preview/preview.js',
      packages: 'external',
    },
    {
      bundle: true,
      platform: 'browser',
      target: 'chrome130',
      format: 'iife',
      entryPoints: ['renderer/dev/preview-bridge.ts'],
      outfile: 'dist/preview/bridge.js',
      logLevel: 'warning',
    },
  ],
  // The reference backend and its operator CLI run from the repo, so node_modules stay external.
  stub: [
    {
      ...node,
      entryPoints: ['server-stub/server-cli.ts'],
      outfile: 'dist/server-stub/server-cli.js',
      packages: 'external',
    },
    {
      ...node,
      entryPoints: ['server-stub/operator-cli.ts'],
      outfile: 'dist/server-stub/operator-cli.js',
      packages: 'external',
    },
  ],
  // Writes the generated contract files (npm run contract); run from the repository root.
  contract: [
    {
      ...node,
      entryPoints: ['scripts/generate-contract.ts'],
      outfile: 'dist/contract/generate-contract.js',
      packages: 'external',
    },
  ],
  bench: existsSync(path.join(root, 'bench'))
    ? readdirSync(path.join(root, 'bench'))
        .filter((f) => f.endsWith('.ts'))
        .map((f) => ({
          ...node,
          entryPoints: [`bench/${f}`],
          outfile: `dist/bench/${f.replace(/\.ts$/, '.js')}`,
          packages: 'external',
        }))
    : [],
};

const started = Date.now();
const jobs = [];
for (const [name, configs] of Object.entries(parts)) {
  if (only && !only.has(name)) continue;
  for (const config of configs) {
    if (!config.entryPoints.every((entry) => existsSync(path.join(root, entry)))) continue;
    jobs.push(esbuild.build({ ...config, absWorkingDir: root }));
  }
}
await Promise.all(jobs);

// Static renderer files (HTML, CSS, icons) are copied as they are.
if ((!only || only.has('renderer')) && existsSync(path.join(root, 'renderer/static'))) {
  mkdirSync(path.join(root, 'dist/renderer'), { recursive: true });
  cpSync(path.join(root, 'renderer/static'), path.join(root, 'dist/renderer'), { recursive: true });
}
if (!process.env.SIGNOFF_BUILD_QUIET)
  console.log(`built ${jobs.length} bundle(s) in ${Date.now() - started} ms`);
