// A throwaway certificate authority made with the openssl CLI, standing in for a company root (e.g. the
// one a TLS-inspecting proxy re-signs with), and server certificates issued by it.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface TestCa {
  /** The CA certificate, PEM. */
  cert: string;
  certFile: string;
  /** A key pair for a server named by `names` (DNS names and IPs), signed by this CA. */
  issue(names: string[]): { key: string; cert: string };
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'ignore' });
}

export function makeTestCa(dir: string, commonName: string): TestCa {
  const keyFile = path.join(dir, 'ca.key');
  const certFile = path.join(dir, 'ca.pem');
  openssl([
    ...['req', '-x509', ...EC_KEY, '-keyout', keyFile, '-out', certFile, '-days', '1'],
    ...['-subj', `/O=Example Corp/CN=${commonName}`],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
  ]);
  let issued = 0;
  return {
    cert: readFileSync(certFile, 'utf8'),
    certFile,
    issue(names) {
      issued += 1;
      const base = path.join(dir, `server-${issued}`);
      const san = names.map((name) => (/^[\d.]+$/.test(name) ? `IP:${name}` : `DNS:${name}`)).join(',');
      writeFileSync(`${base}.ext`, `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
      openssl([
        'req',
        ...EC_KEY,
        '-keyout',
        `${base}.key`,
        '-out',
        `${base}.csr`,
        '-subj',
        `/CN=${names[0]}`,
      ]);
      openssl([
        ...['x509', '-req', '-in', `${base}.csr`, '-CA', certFile, '-CAkey', keyFile, '-CAcreateserial'],
        ...['-out', `${base}.pem`, '-days', '1', '-extfile', `${base}.ext`],
      ]);
      return { key: readFileSync(`${base}.key`, 'utf8'), cert: readFileSync(`${base}.pem`, 'utf8') };
    },
  };
}
