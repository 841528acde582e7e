// Where the user is signed in, across restarts: the server and user name live in settings, the
// bearer token per account in the SecretStore. Keychain failures are logged instead of thrown: a
// keychain that refuses must never break signing in or out (the user at worst signs in again).
import { accountId } from './account-state';
import type { Logger, SecretStore, Settings } from './ports';
import { parseServerUrl, type ServerAddress } from './server-url';

export interface SavedSignIn {
  address: ServerAddress;
  username: string;
  token: string;
}

export class SavedSignIns {
  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
  ) {}

  /** The sign-in to resume at start, if settings name one that is still acceptable and its token is there. */
  async restore(settings: Settings): Promise<SavedSignIn | null> {
    const { serverUrl, username } = settings;
    if (!serverUrl || !username) return null;
    let address: ServerAddress;
    try {
      address = parseServerUrl(serverUrl, settings.allowInsecureServer);
    } catch (error) {
      this.logger.warn('session: the saved server address is no longer acceptable', { error: String(error) });
      return null;
    }
    const token = await this.readToken(accountId(address.origin, username));
    return token ? { address, username, token } : null;
  }

  /** null when none is saved or the store cannot be read. */
  private async readToken(account: string): Promise<string | null> {
    try {
      return await this.secrets.get(account);
    } catch (error) {
      this.logger.error('session: could not read the saved token', { error: String(error) });
      return null;
    }
  }

  async saveToken(account: string, token: string): Promise<void> {
    try {
      await this.secrets.set(account, token);
    } catch (error) {
      // Still signed in for this run; the user signs in again after a restart.
      this.logger.error('session: could not store the token', { error: String(error) });
    }
  }

  async deleteToken(account: string): Promise<void> {
    try {
      await this.secrets.delete(account);
    } catch (error) {
      this.logger.warn('session: could not delete the saved token', { error: String(error) });
    }
  }
}
