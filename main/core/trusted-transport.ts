// The HTTP transport for the configured network: trust = Node's bundled roots + the OS certificate
// store + the corporate CA bundle from settings (`extraCaFile`); route = the proxy setting resolved per
// URL. An unreadable bundle or store is logged and left out, so a moved file cannot lock the user out
// of a server that other CAs vouch for.
import { promises as fs } from 'node:fs';
import { createHttpTransport, type HttpTransport } from './http-transport';
import type { Logger, Settings } from './ports';
import type { ProxyCredentials } from './proxy-credentials';
import { type ProxyResolver, proxyResolverFor } from './proxy-route';
import { bundledRoots, mergeTrust, parsePemBundle, type SystemCertificates } from './system-certificates';

/** What the platform contributes: its proxy answer (Electron: Chromium's) and its certificate store. */
export interface NetworkPlatform {
  /** Absent under plain Node: `system` then means the environment variables, else direct. */
  systemProxy?: ProxyResolver;
  systemCertificates: SystemCertificates;
}

export type NetworkSettings = Pick<Settings, 'extraCaFile' | 'proxy'>;

export async function createTrustedTransport(
  settings: NetworkSettings,
  platform: NetworkPlatform,
  logger: Logger,
  proxyCredentials: ProxyCredentials | null = null,
): Promise<HttpTransport> {
  const [system, extra] = await Promise.all([
    platform.systemCertificates(),
    readExtraCa(settings.extraCaFile, logger),
  ]);
  logger.info('tls: trusting the bundled roots and the OS store', {
    system: system.certificates.length,
    source: system.source,
    skipped: system.skipped,
    extra: extra.length,
  });
  return createHttpTransport({
    ca: mergeTrust(bundledRoots, system.certificates, extra),
    route: proxyResolverFor(settings.proxy, platform.systemProxy, proxyCredentials),
    logger,
  });
}

async function readExtraCa(file: string | null, logger: Logger): Promise<string[]> {
  if (!file) return [];
  try {
    const { certificates } = parsePemBundle(await fs.readFile(file, 'utf8'));
    if (certificates.length === 0) throw new Error('no PEM certificate in it');
    return certificates;
  } catch (error) {
    logger.error('tls: cannot read the extra CA file; using the other CAs only', {
      file,
      error: String(error),
    });
    return [];
  }
}
