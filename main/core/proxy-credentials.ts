// The manual proxy's user name and password live in the SecretStore (the keychain, like tokens), never
// in settings.json or the window's snapshot: settings keep the proxy URL without userinfo, and the
// routing agent gets a URL with the credentials put back only at the moment it opens a tunnel.
// Keychain failures are logged, not thrown: at worst the proxy asks again (a clear proxy-auth error).
import { type ProxyCredentials, ProxyCredentialsSchema } from '../common/settings-schema';
import type { Logger, SecretStore } from './ports';

export type { ProxyCredentials };

/** The secret-store account of the manual proxy's credentials (one per installation). */
export const PROXY_CREDENTIALS_ACCOUNT = 'proxy:manual';

/** A proxy URL split into what settings may keep and the credentials that go to the keychain. */
export function splitProxyUrl(proxyUrl: string): { url: string; credentials: ProxyCredentials | null } {
  const parsed = new URL(proxyUrl);
  if (!parsed.username && !parsed.password) return { url: proxyUrl, credentials: null };
  const credentials = {
    username: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
  };
  parsed.username = '';
  parsed.password = '';
  return { url: parsed.href, credentials: credentials.username ? credentials : null };
}

/** The URL the tunnel agent authenticates with (https-proxy-agent reads basic auth from userinfo). */
export function proxyUrlWith(proxyUrl: string, credentials: ProxyCredentials | null): string {
  if (!credentials) return proxyUrl;
  const parsed = new URL(proxyUrl);
  parsed.username = encodeURIComponent(credentials.username);
  parsed.password = encodeURIComponent(credentials.password);
  return parsed.href;
}

export class ProxyCredentialStore {
  private value: ProxyCredentials | null = null;
  /** Moves on every change, so the transport (keyed on it) is rebuilt with the new credentials. */
  private revision = 0;

  constructor(
    private readonly secrets: SecretStore,
    private readonly logger: Logger,
  ) {}

  get current(): ProxyCredentials | null {
    return this.value;
  }

  get version(): number {
    return this.revision;
  }

  async load(): Promise<void> {
    try {
      const text = await this.secrets.get(PROXY_CREDENTIALS_ACCOUNT);
      const parsed = text === null ? null : ProxyCredentialsSchema.safeParse(JSON.parse(text));
      this.value = parsed?.success ? parsed.data : null;
    } catch (error) {
      this.logger.error('network: could not read the proxy credentials', { error: String(error) });
      this.value = null;
    }
    this.revision += 1;
  }

  /** Saves (or with null, forgets) the credentials; they apply to the next connection even if the keychain refused. */
  async save(credentials: ProxyCredentials | null): Promise<void> {
    this.value = credentials;
    this.revision += 1;
    try {
      if (credentials) await this.secrets.set(PROXY_CREDENTIALS_ACCOUNT, JSON.stringify(credentials));
      else await this.secrets.delete(PROXY_CREDENTIALS_ACCOUNT);
    } catch (error) {
      this.logger.error('network: could not store the proxy credentials', { error: String(error) });
    }
  }
}
