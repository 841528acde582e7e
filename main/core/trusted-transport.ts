// The HTTP transport for the configured trust: the system CAs, plus the corporate CA bundle from
// settings when there is one. An unreadable bundle is logged and the system CAs are used alone, so a
// moved file cannot lock the user out of a server that public CAs vouch for.
import { promises as fs } from 'node:fs';
import tls from 'node:tls';
import { createHttpTransport, type HttpTransport } from './http-transport';
import type { Logger } from './ports';

export async function createTrustedTransport(
  extraCaFile: string | null,
  logger: Logger,
): Promise<HttpTransport> {
  if (!extraCaFile) return createHttpTransport();
  try {
    const extra = await fs.readFile(extraCaFile, 'utf8');
    return createHttpTransport({ ca: [...tls.rootCertificates, extra] });
  } catch (error) {
    logger.error('tls: cannot read the extra CA file; using the system CAs only', {
      file: extraCaFile,
      error: String(error),
    });
    return createHttpTransport();
  }
}
