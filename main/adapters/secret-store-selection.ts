// Picks where the bearer token is kept: the OS keychain via keytar; failing that Electron's
// safeStorage, but only where it is backed by a real OS key; failing that memory for this run.
// Never plaintext on disk. The reason is kept so the window can tell the user why a sign-in will not
// survive a restart.
import path from 'node:path';
import type { Logger, SecretStore } from '../core/ports';
import { KEYCHAIN_SERVICE } from './app-identity';
import {
  type KeytarLike,
  KeytarSecretStore,
  MemorySecretStore,
  type SafeStorageLike,
  SafeStorageSecretStore,
} from './secret-stores';

export interface SecretStoreSelection {
  store: SecretStore;
  /** One sentence for the settings page, e.g. why the keychain was not used. */
  reason: string;
}

export interface SelectSecretStoreOptions {
  /** Loads keytar; throws when its native module is missing or built for another ABI. */
  loadKeytar: () => Promise<KeytarLike> | KeytarLike;
  /** Electron's safeStorage, or null where it is unavailable (e.g. not ready yet). */
  safeStorage: SafeStorageLike | null;
  userDataDir: string;
  platform: NodeJS.Platform;
  service?: string;
  /**
   * How long the keychain may take to answer a probe. A locked Secret Service can sit waiting for a
   * password prompt no one will answer; past this we fall back instead of hanging start-up.
   */
  probeTimeoutMs?: number;
  logger?: Logger;
}

/** The account name the probe reads; it never holds anything. */
export const KEYCHAIN_PROBE_ACCOUNT = 'signoff-keychain-probe';

/** The file safeStorage ciphertext goes to, inside userData. */
export const SAFE_STORAGE_FILE_NAME = 'secrets.json';

/**
 * On Linux safeStorage falls back to a hard-coded password when no keyring is reachable
 * ('basic_text'), which is obfuscation, not protection; 'unknown' means it cannot tell.
 */
const UNPROTECTED_LINUX_BACKENDS = new Set(['basic_text', 'unknown']);

export async function selectSecretStore(options: SelectSecretStoreOptions): Promise<SecretStoreSelection> {
  const service = options.service ?? KEYCHAIN_SERVICE;
  const keychain = await probeKeychain(options, service);
  if (keychain.keytar) {
    return {
      store: new KeytarSecretStore(keychain.keytar, service),
      reason: 'Stored in the system keychain.',
    };
  }
  const why = keychain.reason;
  options.logger?.warn('system keychain unavailable', { reason: why });

  const safeStorageProblem = safeStorageProblemOf(options.safeStorage, options.platform);
  if (safeStorageProblem === null && options.safeStorage) {
    return {
      store: new SafeStorageSecretStore(
        options.safeStorage,
        path.join(options.userDataDir, SAFE_STORAGE_FILE_NAME),
        options.logger,
      ),
      reason: `System keychain unavailable (${why}); stored encrypted with the OS key instead.`,
    };
  }
  options.logger?.warn('encrypted storage unavailable; keeping the session in memory', {
    reason: safeStorageProblem,
  });
  return {
    store: new MemorySecretStore(),
    reason: `System keychain unavailable (${why}) and ${safeStorageProblem}; you will need to sign in again after restarting.`,
  };
}

type KeychainProbe = { keytar: KeytarLike; reason?: never } | { keytar?: never; reason: string };

async function probeKeychain(options: SelectSecretStoreOptions, service: string): Promise<KeychainProbe> {
  let keytar: KeytarLike;
  try {
    keytar = await options.loadKeytar();
  } catch (error) {
    return { reason: `keytar could not be loaded: ${messageOf(error)}` };
  }
  // keytar loads fine even when there is no Secret Service; only a real call finds out.
  const timeoutMs = options.probeTimeoutMs ?? 5_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      keytar.getPassword(service, KEYCHAIN_PROBE_ACCOUNT),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms (locked?)`)), timeoutMs);
        timer.unref();
      }),
    ]);
    return { keytar };
  } catch (error) {
    return { reason: messageOf(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Null when safeStorage really protects data here; otherwise why not. */
export function safeStorageProblemOf(
  safeStorage: SafeStorageLike | null,
  platform: NodeJS.Platform,
): string | null {
  if (!safeStorage) return 'encrypted storage is not available';
  try {
    if (!safeStorage.isEncryptionAvailable()) return 'encrypted storage is not available';
    if (platform === 'linux') {
      const backend = safeStorage.getSelectedStorageBackend();
      if (UNPROTECTED_LINUX_BACKENDS.has(backend)) return `encrypted storage has no OS key (${backend})`;
    }
    return null;
  } catch (error) {
    return `encrypted storage failed: ${messageOf(error)}`;
  }
}

/**
 * Loads the real keytar, lazily, so a missing or mis-built native module becomes a fallback instead
 * of a crash at start-up. The bundled main process is CommonJS and uses plain `require` (the
 * well-trodden path for native modules inside app.asar); under vitest (ESM) `import()` is used.
 */
export async function loadKeytar(): Promise<KeytarLike> {
  if (typeof require === 'function') return require('keytar') as KeytarLike;
  const module = (await import('keytar')) as KeytarLike & { default?: KeytarLike };
  return module.default ?? module;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
