/**
 * Test certificates for Modbus/TCP Security and the HTTPS control API (`submeter certs`): a CA, a
 * server certificate for the host names and IP addresses given, and client certificates carrying
 * a role (extension 1.3.6.1.4.1.50316.802.1, UTF8String). Made with the `openssl` command line:
 * node:crypto makes keys but cannot issue X.509 certificates, and openssl is on every machine that
 * has TLS at all, so no npm X.509 library is needed. EC P-256 keys, SHA-256 signatures.
 *
 * An existing CA in the directory is reused (so clients can be added later); the server and
 * client files are written anew. Keys are written with mode 0600.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { RunFailure } from '../runtime-error.js';

export interface ClientRequest {
  /** File name and common name (letters, digits, "_", "-", "."). */
  name: string;
  /** Role written into the certificate; undefined: no role extension. */
  role: string | undefined;
}

export interface MakeCertificatesOptions {
  dir: string;
  /** Host names and IP addresses the server certificate is valid for. */
  hosts: readonly string[];
  clients: readonly ClientRequest[];
  /** Validity of the server and client certificates (days); the CA gets ten times as long. */
  days: number;
}

export interface CertificatePair {
  cert: string;
  key: string;
}

export interface MadeCertificates {
  ca: CertificatePair;
  /** True when the CA was already in the directory and was reused. */
  caReused: boolean;
  server: CertificatePair;
  clients: Array<ClientRequest & CertificatePair>;
}

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const rolePattern = /^[\x21-\x7e]+$/;
const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.error !== undefined) {
    const missing = (run.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RunFailure(missing ? 'submeter certs needs the openssl command (Debian: apt-get install openssl)' : `openssl: ${run.error.message}`, { cause: run.error });
  }
  if (run.status !== 0) throw new RunFailure(`openssl ${args[0] ?? ''} failed: ${run.stderr.trim().split('\n')[0] ?? ''}`);
}

/** The subjectAltName value for the hosts: IP:... for addresses, DNS:... for names. */
export function subjectAltName(hosts: readonly string[]): string {
  return hosts.map((host) => (isIP(host) === 0 ? `DNS:${host}` : `IP:${host}`)).join(',');
}

export function makeCertificates(options: MakeCertificatesOptions): MadeCertificates {
  if (!(Number.isInteger(options.days) && options.days >= 1 && options.days <= 36_500)) throw new RunFailure(`--days must be 1..36500, got ${options.days}`);
  if (options.hosts.length === 0) throw new RunFailure('the server certificate needs at least one host name or IP address');
  for (const host of options.hosts) if (!/^[A-Za-z0-9.:*-]+$/.test(host)) throw new RunFailure(`host ${JSON.stringify(host)}: expected a host name or an IP address`);
  const names = new Set<string>(['ca', 'server']);
  for (const client of options.clients) {
    if (!namePattern.test(client.name)) throw new RunFailure(`client name ${JSON.stringify(client.name)}: letters, digits, "_", "-" or "."`);
    if (names.has(client.name)) throw new RunFailure(`client name "${client.name}" is used twice (or is "ca" or "server")`);
    names.add(client.name);
    if (client.role !== undefined && !rolePattern.test(client.role)) throw new RunFailure(`role ${JSON.stringify(client.role)}: printable ASCII without spaces`);
  }
  const dir = options.dir;
  mkdirSync(dir, { recursive: true });
  const ca = { cert: join(dir, 'ca.pem'), key: join(dir, 'ca.key') };
  const caReused = existsSync(ca.cert) && existsSync(ca.key);
  if (!caReused) {
    openssl(['req', '-x509', ...ecKey, '-keyout', ca.key, '-out', ca.cert, '-days', String(options.days * 10), '-subj', '/CN=submeter test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
    chmodSync(ca.key, 0o600);
  }
  const sign = (name: string, commonName: string, extensions: string[]): CertificatePair => {
    const pair = { cert: join(dir, `${name}.pem`), key: join(dir, `${name}.key`) };
    const csr = join(dir, `${name}.csr`);
    const extFile = join(dir, `${name}.ext`);
    writeFileSync(extFile, `[v3]\n${extensions.join('\n')}\n`);
    try {
      openssl(['req', '-new', ...ecKey, '-keyout', pair.key, '-out', csr, '-subj', `/CN=${commonName}`], dir);
      chmodSync(pair.key, 0o600);
      openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', String(options.days), '-sha256', '-out', pair.cert,
        '-extfile', extFile, '-extensions', 'v3'], dir);
    } finally {
      rmSync(csr, { force: true });
      rmSync(extFile, { force: true });
    }
    return pair;
  };
  const server = sign('server', options.hosts[0] ?? 'localhost', [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${subjectAltName(options.hosts)}`,
  ]);
  const clients = options.clients.map((client) => {
    const extensions = ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=clientAuth'];
    if (client.role !== undefined) extensions.push(`1.3.6.1.4.1.50316.802.1=ASN1:FORMAT:UTF8,UTF8String:${client.role}`);
    return { ...client, ...sign(client.name, client.name, extensions) };
  });
  return { ca, caReused, server, clients };
}
