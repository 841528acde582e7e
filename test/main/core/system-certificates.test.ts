// The OS certificate store: real PEM bundles (made by openssl) parsed, and a company CA placed in a
// throwaway system-store file that a real core reads — the backend (a real https/wss server with a
// certificate from that CA) is reached only when the CA is in the store, directly and through a real
// proxy; without it the error names the issuer, in the core and in both window languages.
import { writeFileSync } from 'node:fs';
import tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import type { SignInError } from '../../../main/core/ports';
import {
  bundleFileCertificates,
  mergeTrust,
  osCertificates,
  parsePemBundle,
} from '../../../main/core/system-certificates';
import { toIpcError } from '../../../main/ipc/handlers';
import { problemText } from '../../../renderer/i18n';
import { en } from '../../../renderer/i18n/en';
import { zhCN } from '../../../renderer/i18n/zh-CN';
import { waitFor } from '../../support/core-fakes';
import { makeCore, PASSWORD, type TestCore } from '../../support/core-harness';
import { type FakeServer, startFakeServer, welcome } from '../../support/fake-server';
import { tempDir } from '../../support/stub-fixtures';
import { makeTestCa, type TestCa } from '../../support/test-ca';
import { startTinyproxy } from '../../support/tinyproxy';

const ISSUER = 'Example Corp Inspection CA';
const dir = tempDir('signoff-os-store-');
const other = tempDir('signoff-other-ca-');
let company: TestCa;
let unrelated: TestCa;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(() => {
  company = makeTestCa(dir.path, ISSUER);
  unrelated = makeTestCa(other.path, 'Some Other Root');
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(() => {
  dir.remove();
  other.remove();
});

/** A system-store bundle file holding these PEMs, as update-ca-certificates writes it. */
function storeWith(name: string, ...pems: string[]): string {
  const file = dir.file(`${name}.crt`);
  writeFileSync(file, pems.join('\n'));
  return file;
}

describe('parsing a PEM bundle', () => {
  test('certificates are found between comments and CRLFs; a corrupt block is skipped and counted', () => {
    const corrupt = '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----';
    const text = [
      '# Example Corp roots',
      company.cert.replace(/\n/g, '\r\n'),
      corrupt,
      'junk between blocks',
      unrelated.cert,
    ].join('\n');
    const { certificates, skipped } = parsePemBundle(text);
    expect(skipped).toBe(1);
    expect(certificates).toEqual([company.cert.trim(), unrelated.cert.trim()]);
  });

  test('the first bundle file that exists is read; SSL_CERT_FILE comes first on Node without the store API', async () => {
    const store = storeWith('first', company.cert);
    const found = await bundleFileCertificates([dir.file('missing.crt'), store])();
    expect(found).toMatchObject({ source: store, skipped: 0 });
    expect(found.certificates).toHaveLength(1);
    expect(await bundleFileCertificates([dir.file('missing.crt')])()).toMatchObject({ certificates: [] });

    const fromEnv = await osCertificates({ SSL_CERT_FILE: store })();
    // Node 20 has no tls.getCACertificates: then the file is the store.
    expect(fromEnv.source).toBe(process.version.startsWith('v20.') ? store : 'os');
  });

  test('where Node has tls.getCACertificates (Electron: Node 24) the OS store comes from it, the file if it throws', async () => {
    const store = storeWith('fallback', unrelated.cert);
    const asked: string[] = [];
    const api = tls as { getCACertificates?: (type: string) => string[] };
    const before = api.getCACertificates;
    try {
      api.getCACertificates = (type) => {
        asked.push(type);
        return [company.cert];
      };
      expect(await osCertificates({ SSL_CERT_FILE: store })()).toEqual({
        certificates: [company.cert],
        skipped: 0,
        source: 'os',
      });
      expect(asked).toEqual(['system']);
      api.getCACertificates = () => {
        throw new Error('store unavailable');
      };
      expect(await osCertificates({ SSL_CERT_FILE: store })()).toMatchObject({ source: store });
    } finally {
      api.getCACertificates = before;
    }
  });

  test('the real Debian bundle parses completely', async () => {
    const debian = await bundleFileCertificates(['/etc/ssl/certs/ca-certificates.crt'])();
    expect(debian.certificates.length).toBeGreaterThan(100);
    expect(debian.skipped).toBe(0);
  });

  test('merging keeps each certificate once, whatever its line endings', () => {
    expect(mergeTrust([company.cert], [company.cert.replace(/\n/g, '\r\n'), unrelated.cert])).toHaveLength(2);
  });
});

describe('a company CA in the OS store', () => {
  async function tlsServer(names: string[]): Promise<FakeServer> {
    const server = await startFakeServer({ tls: company.issue(names) });
    server.onHello = (socket) => socket.send(welcome(0));
    cleanups.push(() => server.close());
    return server;
  }

  async function coreReading(store: string): Promise<TestCore> {
    const handle = await makeCore({ systemCertificates: bundleFileCertificates([store]) });
    cleanups.push(() => handle.dispose());
    return handle;
  }

  async function signInFailure(handle: TestCore, url: string): Promise<SignInError> {
    return handle.core.signIn(url, 'bob', PASSWORD).then(
      () => expect.fail('sign-in should have failed'),
      (error: SignInError) => error,
    );
  }

  test('without it: refused, and the error names the issuer in the core, over IPC and in both languages', async () => {
    const server = await tlsServer(['127.0.0.1']);
    const bob = await coreReading(storeWith('without', unrelated.cert));
    const error = await signInFailure(bob, server.url);
    expect(error.kind).toBe('tls');
    expect(error.message).toContain(`certificate issued by '${ISSUER}' is not trusted`);
    expect(server.requests).toEqual([]); // nothing was sent over the unverified connection

    const ipc = toIpcError(error);
    expect(ipc).toMatchObject({ kind: 'tls', issuer: ISSUER });
    expect(problemText(en, ipc)).toContain(`issued by “${ISSUER}”`);
    expect(problemText(zhCN, ipc)).toContain(`由“${ISSUER}”签发`);
  });

  test('with it: sign-in over https and the stream over wss', async () => {
    const server = await tlsServer(['127.0.0.1']);
    const bob = await coreReading(storeWith('with', unrelated.cert, company.cert));
    await bob.core.signIn(server.url, 'bob', PASSWORD);
    await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online over wss');
    expect(server.upgrades).toBe(1);
  });

  test('through a proxy tunnel too: trusted only with the CA in the store, host name checked end to end', async () => {
    const host = 'approvals.example-corp.test';
    const server = await tlsServer([host]);
    const impostor = 'impostor.example-corp.test';
    const proxy = await startTinyproxy({ hosts: { [host]: '127.0.0.1', [impostor]: '127.0.0.1' } });
    cleanups.push(() => proxy.dispose());
    const url = `https://${host}:${new URL(server.url).port}`;
    const proxied = { proxy: { mode: 'manual', url: proxy.url } } as const;

    const without = await coreReading(storeWith('tunnel-without', unrelated.cert));
    await without.core.updateSettings(proxied);
    const error = await signInFailure(without, url);
    expect(error).toMatchObject({ kind: 'tls', issuer: ISSUER });

    const bob = await coreReading(storeWith('tunnel-with', company.cert));
    await bob.core.updateSettings(proxied);
    await bob.core.signIn(url, 'bob', PASSWORD);
    await waitFor(() => bob.core.snapshot().connection.kind === 'online', 'online over wss via the proxy');
    expect(proxy.connects()).toContain(`${host}:${new URL(server.url).port}`);

    // A trusted chain for another name is still refused: the host name is checked as before.
    const wrongName = await signInFailure(bob, url.replace(host, impostor));
    expect(wrongName.kind).toBe('tls');
    expect(wrongName.message).toContain(
      `the certificate of ${impostor} (issued by '${ISSUER}') is for another host name`,
    );
  });
});
