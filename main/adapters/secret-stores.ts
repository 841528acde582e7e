// The three places a bearer token can live, strongest first. Which one is used is decided in
// secret-store-selection.ts; these classes only store and fetch.
import type { SafeStorage } from 'electron';
import { z } from 'zod';
import { readTextIfExists, writeFileAtomic } from '../core/atomic-file';
import type { Logger, SecretStore } from '../core/ports';

/** The part of keytar we use (its module shape, so the real module and a test double both fit). */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

export type SafeStorageLike = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'
>;

/** The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux). */
export class KeytarSecretStore implements SecretStore {
  readonly kind = 'keychain';
  constructor(
    private readonly keytar: KeytarLike,
    private readonly service: string,
  ) {}
  get(account: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, account);
  }
  set(account: string, secret: string): Promise<void> {
    return this.keytar.setPassword(this.service, account, secret);
  }
  async delete(account: string): Promise<void> {
    await this.keytar.deletePassword(this.service, account);
  }
}

const SecretsFile = z.object({
  version: z.literal(1),
  /** account → base64 of safeStorage's ciphertext. */
  entries: z.record(z.string(), z.string()),
});
type SecretsFile = z.infer<typeof SecretsFile>;

/**
 * Ciphertext from Electron's safeStorage (keyed by the OS: DPAPI, Keychain, kwallet/libsecret) in a
 * file in userData. Only the ciphertext touches the disk.
 */
export class SafeStorageSecretStore implements SecretStore {
  readonly kind = 'safe-storage';
  /** Operations run one after another so two quick `set`s cannot lose each other's entry. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    readonly filePath: string,
    private readonly logger?: Logger,
  ) {}

  get(account: string): Promise<string | null> {
    return this.serialize(async () => {
      const encoded = (await this.read()).entries[account];
      if (encoded === undefined) return null;
      try {
        return this.safeStorage.decryptString(Buffer.from(encoded, 'base64'));
      } catch (error) {
        // A changed OS key makes old ciphertext unreadable; the user simply signs in again.
        this.logger?.warn('secret could not be decrypted; treating it as absent', { error: String(error) });
        return null;
      }
    });
  }

  set(account: string, secret: string): Promise<void> {
    return this.serialize(async () => {
      const file = await this.read();
      file.entries[account] = this.safeStorage.encryptString(secret).toString('base64');
      await this.write(file);
    });
  }

  delete(account: string): Promise<void> {
    return this.serialize(async () => {
      const file = await this.read();
      if (!(account in file.entries)) return;
      delete file.entries[account];
      await this.write(file);
    });
  }

  private serialize<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation, operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async read(): Promise<SecretsFile> {
    const text = await readTextIfExists(this.filePath);
    if (text === null) return { version: 1, entries: {} };
    try {
      const parsed = SecretsFile.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
    } catch {
      // fall through: unreadable JSON is handled like a schema mismatch
    }
    this.logger?.warn('secrets file is damaged; starting from an empty one', { file: this.filePath });
    return { version: 1, entries: {} };
  }

  private async write(file: SecretsFile): Promise<void> {
    // Atomic (never a torn file) and created 0600, so only the user can read even the ciphertext.
    await writeFileAtomic(this.filePath, `${JSON.stringify(file)}\n`);
  }
}

// The in-memory last resort lives in the core (main/core/memory-secret-store.ts): no Electron in it.
export { MemorySecretStore } from '../core/memory-secret-store';
