// The user's settings and the one thing they configure directly: the HTTP(S) transport, whose trust
// follows `extraCaFile`. Kept together so a settings change that alters trust rebuilds the transport
// in the same step, and the façade never holds a transport that disagrees with the settings.
import type { FetchLike } from '../../protocol';
import type { HttpTransport } from './http-transport';
import type { Logger, Settings, SettingsPatch } from './ports';
import { defaultSettings, mergeSettings, SettingsFile } from './settings';
import { createTrustedTransport } from './trusted-transport';

export class CoreSettings {
  private value: Settings = defaultSettings();
  private transport: HttpTransport | null = null;
  private readonly file: SettingsFile;

  constructor(
    userDataDir: string,
    private readonly logger: Logger,
    now: () => number,
    /** Replaces the transport's fetch (tests; the caller then owns TLS). */
    private readonly fetchOverride?: FetchLike,
  ) {
    this.file = new SettingsFile(userDataDir, logger, now);
  }

  get current(): Settings {
    return this.value;
  }

  /** Reads the file (a bad one is set aside) and builds the transport it asks for. */
  async load(): Promise<Settings> {
    this.value = await this.file.load();
    this.transport = await createTrustedTransport(this.value.extraCaFile, this.logger);
    return this.value;
  }

  /** Validates and saves a patch (throws a ZodError naming the bad field); a new CA applies from now on. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = mergeSettings(this.value, patch);
    const caChanged = next.extraCaFile !== this.value.extraCaFile;
    this.value = next;
    await this.file.save(next);
    if (caChanged) {
      this.transport?.close();
      this.transport = await createTrustedTransport(next.extraCaFile, this.logger);
    }
    return next;
  }

  get fetch(): FetchLike {
    if (this.fetchOverride) return this.fetchOverride;
    if (!this.transport) throw new Error('core not started');
    return this.transport.fetch;
  }

  /** TLS options for sockets the transport does not make (the live stream). */
  get tls(): HttpTransport['tls'] {
    return this.transport?.tls ?? {};
  }

  /** A dead link may have left dead keep-alive sockets in the pool. */
  resetPool(): void {
    this.transport?.resetPool();
  }

  close(): void {
    this.transport?.close();
  }
}
