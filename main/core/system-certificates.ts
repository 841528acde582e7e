// The OS certificate store, so a company root installed by IT (e.g. the root a TLS-inspecting proxy
// re-signs with) is trusted as browsers trust it. A port: Node 22.15+ (Electron 40+ bundles Node 24)
// reads the store itself with `tls.getCACertificates('system')` (Keychain on macOS, the Windows store,
// OpenSSL's bundle on Linux); older Node (the tests run on Node 20) reads a PEM bundle file — on Linux
// the one `update-ca-certificates` writes.
import { X509Certificate } from 'node:crypto';
import { promises as fs } from 'node:fs';
import tls from 'node:tls';

/** PEM certificates the OS trusts; never throws (an unreadable store is an empty one, logged by the caller). */
export type SystemCertificates = () => Promise<SystemCertificateList>;

export interface SystemCertificateList {
  certificates: string[];
  /** Where they came from, for the log line: `os` or the bundle file. */
  source: string;
  /** Blocks in the bundle that did not parse as a certificate (skipped, counted for the log). */
  skipped: number;
}

/** Where Linux distributions keep the combined bundle (Debian/Ubuntu, Fedora/RHEL, Alpine/Arch/macOS). */
export const LINUX_BUNDLE_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/cert.pem',
];

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----\r?\n[\s\S]*?\r?\n-----END CERTIFICATE-----/g;

/**
 * The certificates in a PEM bundle, each checked to parse as X.509 (a single bad block would otherwise
 * make Node refuse the whole `ca` list). Text between blocks (comments, `TRUSTED CERTIFICATE` blocks
 * with OpenSSL trust settings) is ignored.
 */
export function parsePemBundle(text: string): { certificates: string[]; skipped: number } {
  const certificates: string[] = [];
  let skipped = 0;
  for (const [block] of text.matchAll(PEM_BLOCK)) {
    try {
      new X509Certificate(block);
      certificates.push(block.replace(/\r\n/g, '\n'));
    } catch {
      skipped += 1;
    }
  }
  return { certificates, skipped };
}

/** Reads the first bundle file that exists; `SSL_CERT_FILE` (OpenSSL's own override) comes first. */
export function bundleFileCertificates(files: readonly string[]): SystemCertificates {
  return async () => {
    for (const file of files) {
      let text: string;
      try {
        text = await fs.readFile(file, 'utf8');
      } catch {
        continue;
      }
      return { ...parsePemBundle(text), source: file };
    }
    return { certificates: [], skipped: 0, source: 'none found' };
  };
}

type GetCaCertificates = (type: 'system' | 'bundled' | 'default' | 'extra') => string[];

/** The OS store: Node's API where it exists (Electron), else the bundle file (Node 20, tests). */
export function osCertificates(env: NodeJS.ProcessEnv = process.env): SystemCertificates {
  const fromFile = bundleFileCertificates([env.SSL_CERT_FILE, ...LINUX_BUNDLE_FILES].filter(isSet));
  // Not in @types/node 20: feature-detected, so the same build works on both.
  const getCaCertificates = (tls as { getCACertificates?: GetCaCertificates }).getCACertificates;
  if (!getCaCertificates) return fromFile;
  return async () => {
    try {
      return { certificates: getCaCertificates('system'), skipped: 0, source: 'os' };
    } catch {
      return fromFile();
    }
  };
}

function isSet(value: string | undefined): value is string {
  return Boolean(value);
}

/** Node's bundled roots, the OS store and the extra PEMs, each certificate once. */
export function mergeTrust(...lists: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const list of lists) {
    for (const pem of list) {
      const key = pem.replace(/\s+/g, '');
      if (seen.has(key)) continue;
      seen.add(key);
      merged.push(pem);
    }
  }
  return merged;
}

/** Node's bundled Mozilla roots: what Node trusts when no `ca` is given. */
export const bundledRoots: readonly string[] = tls.rootCertificates;
