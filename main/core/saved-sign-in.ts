// Where the user is signed in, across restarts: the server and user name live in settings, the
// bearer token per account in the SecretStore. Keychain failures are logged instead of thrown: a
// keychain that refuses must never break signing in or out (the user at worst signs in again).
import { accountId } from './account-state';
import type { Logger, SecretStore, Settings } from './ports';
import { parseServerUrl, type ServerAddress } from './server-url';

export type SavedSignIn =
  | { address: ServerAddress; username: string; token: string; refreshToken?: undefined }
  /** A single-sign-on account: only its refresh token is kept; access tokens live in memory. */
  | { address: ServerAddress; username: string; token?: undefined; refreshToken: string };

/** The secret-store account of an account's single-sign-on refresh token. */
function ssoAccount(account: string): string {
  return `sso:${account}`;
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
    const account = accountId(address.origin, username);
    const token = await this.readToken(account);
    if (token) return { address, username, token };
    const refreshToken = await this.readToken(ssoAccount(account));
    return refreshToken ? { address, username, refreshToken } : null;
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

  /** A password session's token; an account has either this or a refresh token saved, never both. */
  async saveToken(account: string, token: string): Promise<void> {
    await this.save(account, token);
    await this.remove(ssoAccount(account));
  }

  /** A single-sign-on refresh token (also each rotated one); replaces a saved password token. */
  async saveRefreshToken(account: string, refreshToken: string): Promise<void> {
    await this.save(ssoAccount(account), refreshToken);
    await this.remove(account);
  }

  async deleteToken(account: string): Promise<void> {
    await this.remove(account);
    await this.remove(ssoAccount(account));
  }

  private async save(account: string, secret: string): Promise<void> {
    try {
      await this.secrets.set(account, secret);
    } catch (error) {
      // Still signed in for this run; the user signs in again after a restart.
      this.logger.error('session: could not store the token', { error: String(error) });
    }
  }

  private async remove(account: string): Promise<void> {
    try {
      await this.secrets.delete(account);
    } catch (error) {
      this.logger.warn('session: could not delete the saved token', { error: String(error) });
    }
  }
}
