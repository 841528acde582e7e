import type { SecretStore } from './ports';

/**
 * The last-resort secret store: the token lives only as long as this process and is never written
 * anywhere. Also what the preview harness and tests use. `size` and `has` let callers prove that
 * nothing is kept after sign-out without exposing the secrets themselves.
 */
export class MemorySecretStore implements SecretStore {
  readonly kind = 'memory' as const;
  private readonly secrets = new Map<string, string>();

  async get(account: string): Promise<string | null> {
    return this.secrets.get(account) ?? null;
  }
  async set(account: string, secret: string): Promise<void> {
    this.secrets.set(account, secret);
  }
  async delete(account: string): Promise<void> {
    this.secrets.delete(account);
  }
  has(account: string): boolean {
    return this.secrets.has(account);
  }
  get size(): number {
    return this.secrets.size;
  }
}
