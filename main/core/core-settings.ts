// The user's settings and the one thing they configure directly: the HTTP(S) transport, whose trust
// follows `extraCaFile` and whose route follows `proxy`. Kept together so a settings change that alters
// either rebuilds the transport in the same step, and the façade never holds a transport that
// disagrees with the settings.
import type { FetchLike } from '../../protocol';
import type { HttpTransport, StreamSocketOptions } from './http-transport';
import type { Logger, SecretStore, Settings, SettingsPatch } from './ports';
import { ProxyCredentialStore, type ProxyCredentials, splitProxyUrl } from './proxy-credentials';
import { defaultSettings, mergeSettings, SettingsFile } from './settings';
import { osCertificates } from './system-certificates';
import { createTrustedTransport, type NetworkPlatform, type NetworkSettings } from './trusted-transport';

export interface CoreNetwork extends Partial<NetworkPlatform> {
  /** Replaces the transport's fetch (tests; the caller then owns TLS and the route). */
  fetch?: FetchLike;
}

export class CoreSettings {
  private value: Settings = defaultSettings();
  private transport: HttpTransport | null = null;
  private readonly file: SettingsFile;
  private readonly platform: NetworkPlatform;
  private readonly proxyCredentials: ProxyCredentialStore;

  constructor(
    userDataDir: string,
    secrets: SecretStore,
    private readonly logger: Logger,
    now: () => number,
    private readonly network: CoreNetwork = {},
  ) {
    this.file = new SettingsFile(userDataDir, logger, now);
    this.proxyCredentials = new ProxyCredentialStore(secrets, logger);
    this.platform = {
      systemProxy: network.systemProxy,
      systemCertificates: network.systemCertificates ?? osCertificates(),
    };
  }

  get current(): Settings {
    return this.value;
  }

  /** The manual proxy's user name, if credentials are saved (the password never leaves the core). */
  get proxyUser(): string | null {
    return this.proxyCredentials.current?.username ?? null;
  }

  /**
   * Reads the file (a bad one is set aside) and the proxy credentials, and builds the transport they
   * ask for. A proxy URL with a password in it (written before the keychain held them) is moved there.
   */
  async load(): Promise<Settings> {
    const loaded = await this.file.load();
    await this.proxyCredentials.load();
    this.value = loaded;
    if (loaded.proxy.url && splitProxyUrl(loaded.proxy.url).credentials) {
      this.value = await this.keepCredentialsApart(loaded);
      await this.file.save(this.value);
    }
    this.transport = await this.buildTransport(this.value);
    return this.value;
  }

  /** Validates and saves a patch (throws a ZodError naming the bad field); a new CA or proxy applies from now on. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const before = networkKey(this.value, this.proxyCredentials.version);
    const next = await this.keepCredentialsApart(mergeSettings(this.value, patch));
    this.value = next;
    await this.file.save(next);
    await this.rebuildIfChanged(before);
    return next;
  }

  /** Sets or (null) clears the manual proxy's credentials; the next connection uses them. */
  async setProxyCredentials(credentials: ProxyCredentials | null): Promise<void> {
    const before = networkKey(this.value, this.proxyCredentials.version);
    await this.proxyCredentials.save(credentials);
    await this.rebuildIfChanged(before);
  }

  /** Credentials typed into the proxy URL go to the keychain; settings keep the URL without them. */
  private async keepCredentialsApart(settings: Settings): Promise<Settings> {
    if (!settings.proxy.url) return settings;
    const { url, credentials } = splitProxyUrl(settings.proxy.url);
    if (!credentials) return settings;
    await this.proxyCredentials.save(credentials);
    return { ...settings, proxy: { ...settings.proxy, url } };
  }

  private async rebuildIfChanged(before: string): Promise<void> {
    if (networkKey(this.value, this.proxyCredentials.version) === before) return;
    this.transport?.close();
    this.transport = await this.buildTransport(this.value);
  }

  private buildTransport(settings: Settings): Promise<HttpTransport> {
    return createTrustedTransport(settings, this.platform, this.logger, this.proxyCredentials.current);
  }

  /** Stable across rebuilds: a session keeps this function, each call takes the current transport. */
  get fetch(): FetchLike {
    if (this.network.fetch) return this.network.fetch;
    return this.currentFetch;
  }

  private readonly currentFetch: FetchLike = (input, init) => {
    if (!this.transport) return Promise.reject(new Error('core not started'));
    return this.transport.fetch(input, init);
  };

  /**
   * Socket options for the live stream, read at each connect (the stream clients spread them): the
   * agent of the current transport, so a new proxy or CA applies to the next attempt.
   */
  readonly tls: StreamSocketOptions = Object.defineProperty({}, 'agent', {
    enumerable: true,
    get: () => this.transport?.tls.agent,
  });

  /** A dead link may have left dead keep-alive sockets in the pool. */
  resetPool(): void {
    this.transport?.resetPool();
  }

  close(): void {
    this.transport?.close();
  }
}

function networkKey(settings: NetworkSettings, credentialsVersion: number): string {
  return JSON.stringify([settings.extraCaFile, settings.proxy.mode, settings.proxy.url, credentialsVersion]);
}
