/**
 * Certificates for TLS tests, made with the `openssl` command line (independent of
 * `submeter certs`): a CA, a server certificate for 127.0.0.1/localhost, and client certificates
 * with a Modbus/TCP Security role (extension 1.3.6.1.4.1.50316.802.1, UTF8String) or with a
 * defect (expired, from another CA, without clientAuth). EC P-256 keys: fast to make.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const openSslAvailable = spawnSync('openssl', ['version'], { stdio: 'ignore' }).error === undefined;

export interface CertificateFiles {
  cert: string;
  key: string;
}

export interface ClientCertificateOptions {
  role?: string | undefined;
  /** Extended key usage (default clientAuth). */
  extendedKeyUsage?: string | undefined;
  /** Key usage (default critical,digitalSignature). */
  keyUsage?: string | undefined;
  /** Valid only in 2020 (OpenSSL `ca` with explicit dates). */
  expired?: boolean | undefined;
  /** Signed by a second CA the server does not trust. */
  otherCa?: boolean | undefined;
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
}

const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];

export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), 'submeter-pki-'));
  readonly ca: CertificateFiles;
  readonly otherCa: CertificateFiles;
  readonly server: CertificateFiles;
  private count = 0;

  constructor() {
    this.ca = this.makeCa('ca', 'submeter test CA');
    this.otherCa = this.makeCa('other-ca', 'some other CA');
    this.server = this.sign('server', 'localhost', ['basicConstraints=CA:FALSE', 'keyUsage=critical,digitalSignature', 'extendedKeyUsage=serverAuth', 'subjectAltName=IP:127.0.0.1,DNS:localhost']);
  }

  /** A client certificate (files in this.dir). */
  client(name: string, options: ClientCertificateOptions = {}): CertificateFiles {
    const extensions = [
      'basicConstraints=CA:FALSE',
      `keyUsage=${options.keyUsage ?? 'critical,digitalSignature'}`,
      `extendedKeyUsage=${options.extendedKeyUsage ?? 'clientAuth'}`,
    ];
    if (options.role !== undefined) extensions.push(`1.3.6.1.4.1.50316.802.1=ASN1:FORMAT:UTF8,UTF8String:${options.role}`);
    return this.sign(name, name, extensions, options);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private makeCa(name: string, subject: string): CertificateFiles {
    const files = { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
    openssl(['req', '-x509', ...ecKey, '-keyout', files.key, '-out', files.cert, '-days', '3', '-subj', `/CN=${subject}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], this.dir);
    return files;
  }

  private sign(name: string, commonName: string, extensions: string[], options: ClientCertificateOptions = {}): CertificateFiles {
    this.count += 1;
    const files = { cert: join(this.dir, `${name}.pem`), key: join(this.dir, `${name}.key`) };
    const csr = join(this.dir, `${name}.csr`);
    const extFile = join(this.dir, `${name}.ext`);
    writeFileSync(extFile, `[v3]\n${extensions.join('\n')}\n`);
    openssl(['req', '-new', ...ecKey, '-keyout', files.key, '-out', csr, '-subj', `/CN=${commonName}`], this.dir);
    const ca = options.otherCa === true ? this.otherCa : this.ca;
    if (options.expired === true) {
      const caDir = join(this.dir, `ca-db-${this.count}`);
      execFileSync('mkdir', ['-p', caDir]);
      writeFileSync(join(caDir, 'index.txt'), '');
      writeFileSync(join(caDir, 'serial'), '1000\n');
      const config = join(caDir, 'ca.cnf');
      writeFileSync(
        config,
        `[ca]\ndefault_ca=ca_default\n[ca_default]\ndatabase=${caDir}/index.txt\nnew_certs_dir=${caDir}\nserial=${caDir}/serial\n` +
          `certificate=${ca.cert}\nprivate_key=${ca.key}\ndefault_md=sha256\npolicy=any\nunique_subject=no\n[any]\ncommonName=supplied\n`,
      );
      openssl(['ca', '-batch', '-config', config, '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-in', csr, '-out', files.cert,
        '-extfile', extFile, '-extensions', 'v3', '-notext'], this.dir);
    } else {
      openssl(['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-CAcreateserial', '-days', '2', '-sha256', '-out', files.cert,
        '-extfile', extFile, '-extensions', 'v3'], this.dir);
    }
    return files;
  }
}
