// The user's settings and the one thing they configure directly: the HTTP(S) transport, whose trust
// follows `extraCaFile` and whose route follows `proxy`. Kept together so a settings change that alters
// either rebuilds the transport in the same step, and the façade never holds a transport that
// disagrees with the settings.
import type { FetchLike } from '../../protocol';
import type { HttpTransport, StreamSocketOptions } from './http-transport';
import type { Logger, Settings, SettingsPatch } from './ports';
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

  constructor(
    userDataDir: string,
    private readonly logger: Logger,
    now: () => number,
    private readonly network: CoreNetwork = {},
  ) {
    this.file = new SettingsFile(userDataDir, logger, now);
    this.platform = {
      systemProxy: network.systemProxy,
      systemCertificates: network.systemCertificates ?? osCertificates(),
    };
  }

  get current(): Settings {
    return this.value;
  }

  /** Reads the file (a bad one is set aside) and builds the transport it asks for. */
  async load(): Promise<Settings> {
    this.value = await this.file.load();
    this.transport = await createTrustedTransport(this.value, this.platform, this.logger);
    return this.value;
  }

  /** Validates and saves a patch (throws a ZodError naming the bad field); a new CA or proxy applies from now on. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = mergeSettings(this.value, patch);
    const networkChanged = networkKey(next) !== networkKey(this.value);
    this.value = next;
    await this.file.save(next);
    if (networkChanged) {
      this.transport?.close();
      this.transport = await createTrustedTransport(next, this.platform, this.logger);
    }
    return next;
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

function networkKey(settings: NetworkSettings): string {
  return JSON.stringify([settings.extraCaFile, settings.proxy.mode, settings.proxy.url]);
}
