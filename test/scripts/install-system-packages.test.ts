// scripts/install-system-packages.sh, run for real with fake apt-get, dpkg-query, sudo and id first on
// PATH: they record their arguments, so nothing is installed and "not root" can be played as root.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../support/stage-project';

const script = path.join(repoRoot, 'scripts', 'install-system-packages.sh');
const work = mkdtempSync(path.join(tmpdir(), 'signoff-syspkg-'));
const fakeBin = path.join(work, 'bin');
const emptyBin = path.join(work, 'empty');
const log = path.join(work, 'calls.log');

function fake(name: string, body: string): void {
  const file = path.join(fakeBin, name);
  writeFileSync(file, `#!/bin/bash\n${body}\n`);
  chmodSync(file, 0o755);
}

mkdirSync(fakeBin);
mkdirSync(emptyBin);
// dpkg-query -W -f='${Status}' PKG: "installed" exactly for the packages in FAKE_INSTALLED.
fake(
  'dpkg-query',
  'for pkg; do :; done; echo "dpkg-query $*" >>"$FAKE_LOG"\n' +
    'if [[ " $FAKE_INSTALLED " == *" $pkg "* ]]; then printf "install ok installed"; else echo "no packages found matching $pkg" >&2; exit 1; fi',
);
fake('apt-get', 'echo "apt-get $*" >>"$FAKE_LOG"');
fake('sudo', 'echo "sudo $*" >>"$FAKE_LOG"; exec "$@"');
fake('id', 'echo "$FAKE_UID"');

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  calls: string[];
}

function run(args: string[], env: { installed?: string[]; uid?: number; path?: string } = {}): Run {
  rmSync(log, { force: true });
  const result = spawnSync('/bin/bash', [script, ...args], {
    encoding: 'utf8',
    env: {
      PATH: env.path ?? `${fakeBin}:/usr/bin:/bin`,
      FAKE_LOG: log,
      FAKE_INSTALLED: (env.installed ?? []).join(' '),
      FAKE_UID: String(env.uid ?? 1000),
    },
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

const all = run(['--list']).stdout.trim().split('\n');
const installers = (calls: string[]) => calls.filter((c) => !c.startsWith('dpkg-query'));

describe('scripts/install-system-packages.sh', () => {
  it('holds the packages keytar needs to build and the ones the tests use', () => {
    expect(all).toEqual(expect.arrayContaining(['g++', 'make', 'python3', 'libsecret-1-dev']));
    expect(all).toEqual(expect.arrayContaining(['gnome-keyring', 'dbus', 'chromium', 'desktop-file-utils']));
    // One comment per package saying why, so the list stays explainable as it grows.
    const source = readFileSync(script, 'utf8');
    for (const pkg of all) {
      expect(source, pkg).toMatch(new RegExp(`^ {2}${pkg.replace(/\+/g, '\\+')} +# \\S`, 'm'));
    }
  });

  it('is the only list: ./demo (before npm ci) and .ci/run call it and install nothing themselves', () => {
    for (const file of ['demo', '.ci/run']) {
      // Commands only: the comments may well mention dpkg.
      const text = readFileSync(path.join(repoRoot, file), 'utf8').replace(/^\s*#.*$/gm, '');
      const call = text.search(/^[^\n]*scripts\/install-system-packages\.sh/m);
      expect(call, file).toBeGreaterThan(0);
      expect(call, `${file} installs system packages before npm ci`).toBeLessThan(text.indexOf('npm ci'));
      expect(text, file).not.toMatch(/apt-get|dpkg|libsecret-1-dev/);
    }
  });

  it('touches nothing, not even sudo or apt-get update, when nothing is missing', () => {
    const result = run([], { installed: all });
    expect(result.status).toBe(0);
    expect(installers(result.calls)).toEqual([]);
    expect(result.stdout).toBe('');
    // It did look: every package was asked about.
    expect(result.calls.filter((c) => c.startsWith('dpkg-query'))).toHaveLength(all.length);
  });

  it('as a user, updates then installs just the missing packages through sudo, and says so', () => {
    const result = run([], { installed: all.filter((p) => p !== 'libsecret-1-dev' && p !== 'chromium') });
    expect(result.status).toBe(0);
    expect(installers(result.calls)).toEqual([
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq',
      'apt-get update -qq',
      'sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libsecret-1-dev chromium',
      'apt-get install -y -qq --no-install-recommends libsecret-1-dev chromium',
    ]);
    expect(result.stdout).toContain('not running as root, so installing with sudo');
    expect(result.stdout).toContain('installing libsecret-1-dev chromium');
  });

  it('as root, installs without sudo', () => {
    const result = run([], { installed: [], uid: 0 });
    expect(result.status).toBe(0);
    expect(installers(result.calls)).toEqual([
      'apt-get update -qq',
      `apt-get install -y -qq --no-install-recommends ${all.join(' ')}`,
    ]);
    expect(result.stdout).not.toContain('sudo');
  });

  it('--check prints the missing packages and fails without installing', () => {
    const result = run(['--check'], { installed: all.filter((p) => p !== 'gnome-keyring') });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('gnome-keyring\n');
    expect(installers(result.calls)).toEqual([]);
    expect(run(['--check'], { installed: all }).status).toBe(0);
  });

  it('on a system without apt-get and dpkg-query, prints what to install and exits non-zero', () => {
    const result = run([], { path: emptyBin });
    expect(result.status).toBe(3);
    expect(result.stderr).toContain('not a Debian/Ubuntu system (no apt-get or dpkg-query)');
    for (const pkg of all) expect(result.stderr).toContain(`  ${pkg}\n`);
    expect(result.calls).toEqual([]);
  });

  it('as a user without sudo, says what to run as root instead of failing obscurely', () => {
    // Only the fakes, no sudo: the script needs nothing else on this path.
    const noSudo = path.join(work, 'nosudo');
    mkdirSync(noSudo);
    for (const tool of ['dpkg-query', 'apt-get', 'id'])
      symlinkSync(path.join(fakeBin, tool), path.join(noSudo, tool));
    const result = run([], { installed: all.filter((p) => p !== 'make'), path: noSudo });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('apt-get install -y --no-install-recommends make');
    expect(installers(result.calls)).toEqual([]);
  });
});
