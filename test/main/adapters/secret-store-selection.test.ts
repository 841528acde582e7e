import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadKeytar,
  SAFE_STORAGE_FILE_NAME,
  selectSecretStore,
} from '../../../main/adapters/secret-store-selection';
import { type KeytarLike, SafeStorageSecretStore } from '../../../main/adapters/secret-stores';
import { fake, safeStorage } from '../../support/fake-electron';
import { useFakeElectron } from '../../support/use-fake-electron';

const userDataDir = useFakeElectron('signoff-keychain-');

/** selectSecretStore with the fake safeStorage and this test's userData folder. */
const select = (options: Omit<Parameters<typeof selectSecretStore>[0], 'safeStorage' | 'userDataDir'>) =>
  selectSecretStore({ safeStorage, userDataDir: userDataDir(), ...options });

const brokenKeytar = (message: string): KeytarLike => ({
  getPassword: () => Promise.reject(new Error(message)),
  setPassword: () => Promise.reject(new Error(message)),
  deletePassword: () => Promise.reject(new Error(message)),
});

// scripts/with-keyring.sh starts a D-Bus session with an unlocked gnome-keyring; without it there is
// no Secret Service to test against, and the suite says so instead of passing vacuously.
const hasSecretService = Boolean(process.env.DBUS_SESSION_BUS_ADDRESS);
// In CI the keyring is installed by .ci/run: a missing one is a broken setup, not a reason to skip.
if (process.env.CI && !hasSecretService) {
  throw new Error(
    'CI must run the keychain tests: no D-Bus session (is npm test wrapped in scripts/with-keyring.sh?)',
  );
}
if (!hasSecretService) {
  console.warn('keychain tests skipped: no D-Bus session (run under scripts/with-keyring.sh)');
}

describe.skipIf(!hasSecretService)('keytar against the real Secret Service', () => {
  // A service name of its own per run, so concurrent test runs never see each other's entries.
  const service = `Signoff-test-${randomUUID()}`;

  it('is selected, and round-trips set/get/delete with accounts kept apart', async () => {
    const { store, reason } = await select({
      loadKeytar,
      platform: 'linux',
      service,
    });
    expect(store.kind).toBe('keychain');
    expect(reason).toBe('Stored in the system keychain.');

    const alice = 'https://claims.example.com|alice';
    const bob = 'https://claims.example.com|bob';
    expect(await store.get(alice)).toBeNull();
    await store.set(alice, 'token-a-1');
    await store.set(bob, 'token-b');
    expect(await store.get(alice)).toBe('token-a-1');
    await store.set(alice, 'token-a-2');
    expect(await store.get(alice)).toBe('token-a-2');
    expect(await store.get(bob)).toBe('token-b');

    await store.delete(alice);
    expect(await store.get(alice)).toBeNull();
    expect(await store.get(bob)).toBe('token-b');
    await store.delete(bob);
    await store.delete(bob); // deleting what is gone is fine
    expect(await store.get(bob)).toBeNull();

    // Nothing of it went to userData: the keychain holds it.
    expect(() => statSync(path.join(userDataDir(), SAFE_STORAGE_FILE_NAME))).toThrow();
    // And it really is in the Secret Service, visible to another client.
    const keytar = await loadKeytar();
    await store.set(alice, 'seen-by-others');
    expect(await keytar.getPassword(service, alice)).toBe('seen-by-others');
    await store.delete(alice);
  });
});

describe('fallback when the keychain is unusable', () => {
  it('uses safeStorage with a real OS key, keeping only ciphertext on disk', async () => {
    const { store, reason } = await select({
      loadKeytar: () => brokenKeytar('Cannot autolaunch D-Bus without X11 $DISPLAY'),
      platform: 'linux',
    });
    expect(store.kind).toBe('safe-storage');
    expect(reason).toContain('Cannot autolaunch D-Bus');

    await store.set('alice', 'very-secret-token');
    await store.set('bob', 'another-token');
    expect(await store.get('alice')).toBe('very-secret-token');
    const file = path.join(userDataDir(), SAFE_STORAGE_FILE_NAME);
    const onDisk = readFileSync(file, 'utf8');
    expect(onDisk).not.toContain('very-secret-token');
    expect(onDisk).not.toContain('another-token');
    expect(statSync(file).mode & 0o077).toBe(0);

    await store.delete('alice');
    expect(await store.get('alice')).toBeNull();
    expect(await store.get('bob')).toBe('another-token');
  });

  it('falls back when keytar cannot even be loaded', async () => {
    const { store, reason } = await select({
      loadKeytar: () => {
        throw new Error('The module keytar.node was compiled against a different Node.js version');
      },
      platform: 'win32',
    });
    expect(store.kind).toBe('safe-storage');
    expect(reason).toContain('keytar could not be loaded');
  });

  it('does not wait forever on a keychain that never answers (locked, prompt unanswered)', async () => {
    const started = Date.now();
    const { store, reason } = await select({
      loadKeytar: () => ({ ...brokenKeytar('unused'), getPassword: () => new Promise<never>(() => {}) }),
      platform: 'linux',
      probeTimeoutMs: 50,
    });
    expect(store.kind).toBe('safe-storage');
    expect(reason).toContain('no answer within 50 ms');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it.each(['basic_text', 'unknown'] as const)(
    'refuses safeStorage whose Linux backend is %s: memory only, nothing on disk',
    async (backend) => {
      fake.storageBackend = backend;
      const { store, reason } = await select({
        loadKeytar: () => brokenKeytar('org.freedesktop.secrets was not provided by any .service files'),
        platform: 'linux',
      });
      expect(store.kind).toBe('memory');
      expect(reason).toContain(backend);
      await store.set('alice', 'token');
      expect(await store.get('alice')).toBe('token');
      expect(() => statSync(path.join(userDataDir(), SAFE_STORAGE_FILE_NAME))).toThrow();
    },
  );

  it('accepts the same backend name on macOS/Windows, where it is not consulted', async () => {
    fake.storageBackend = 'basic_text';
    const { store } = await select({
      loadKeytar: () => brokenKeytar('nope'),
      platform: 'darwin',
    });
    expect(store.kind).toBe('safe-storage');
  });

  it('keeps the session in memory when encryption is unavailable', async () => {
    fake.encryptionAvailable = false;
    const { store, reason } = await select({
      loadKeytar: () => brokenKeytar('nope'),
      platform: 'win32',
    });
    expect(store.kind).toBe('memory');
    expect(reason).toContain('sign in again after restarting');
  });
});

describe('safeStorage store robustness', () => {
  it('treats a damaged file or undecryptable entry as absent, and recovers on the next write', async () => {
    const file = path.join(userDataDir(), SAFE_STORAGE_FILE_NAME);
    const store = new SafeStorageSecretStore(safeStorage, file);
    writeFileSync(file, '{ not json');
    expect(await store.get('alice')).toBeNull();
    writeFileSync(
      file,
      JSON.stringify({ version: 1, entries: { alice: Buffer.from('garbage').toString('base64') } }),
    );
    expect(await store.get('alice')).toBeNull();
    await store.set('alice', 'fresh');
    expect(await store.get('alice')).toBe('fresh');
  });

  it('loses no entry when writes race', async () => {
    const store = new SafeStorageSecretStore(safeStorage, path.join(userDataDir(), SAFE_STORAGE_FILE_NAME));
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.set(`account-${i}`, `token-${i}`)));
    for (let i = 0; i < 10; i += 1) expect(await store.get(`account-${i}`)).toBe(`token-${i}`);
  });
});
