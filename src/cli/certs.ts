/**
 * `submeter certs --out DIR [--host NAME]... [--client NAME[:ROLE]]... [--days N]`: a test CA, a
 * server certificate and client certificates with Modbus/TCP Security roles, in PEM (see
 * src/runtime/security/make-certificates.ts; docs/security.md). Prints the files and a
 * ready-to-paste `submeter serve --tls` line.
 */
import { Command, InvalidArgumentError } from 'commander';
import { makeCertificates, type ClientRequest } from '../runtime/security/make-certificates.js';
import { integerIn } from './option-parsers.js';

interface CertsOptions {
  out: string;
  host: string[];
  client: ClientRequest[];
  days: number;
}

function collectHost(text: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), ...text.split(',').map((h) => h.trim()).filter((h) => h !== '')];
}

function collectClient(text: string, previous: ClientRequest[] | undefined): ClientRequest[] {
  const match = /^([^:]+)(?::(.+))?$/.exec(text);
  if (match === null) throw new InvalidArgumentError(`expected NAME or NAME:ROLE, got ${JSON.stringify(text)}`);
  return [...(previous ?? []), { name: match[1] ?? text, role: match[2] }];
}

const defaultClients: ClientRequest[] = [
  { name: 'reader', role: 'reader' },
  { name: 'operator', role: 'operator' },
  { name: 'admin', role: 'admin' },
];

export function certsCommand(): Command {
  return new Command('certs')
    .description('make a test CA, a server certificate and client certificates with roles (PEM; needs openssl)')
    .requiredOption('--out <dir>', 'directory for the PEM files (an existing ca.pem/ca.key there is reused)')
    .option('--host <name>', 'host name or IP address of the server certificate; repeat or list with commas (default localhost,127.0.0.1)', collectHost)
    .option('--client <name[:role]>', 'a client certificate, with a role (reader, operator, admin or your own); repeat (default reader, operator and admin)', collectClient)
    .option('--days <n>', 'validity of the server and client certificates in days (default 365; the CA 10x)', integerIn(1, 36_500), 365)
    .action((options: CertsOptions) => {
      const made = makeCertificates({ dir: options.out, hosts: options.host ?? ['localhost', '127.0.0.1'], clients: options.client ?? defaultClients, days: options.days });
      const lines = [
        `CA      ${made.ca.cert} ${made.ca.key}${made.caReused ? ' (reused)' : ''}`,
        `server  ${made.server.cert} ${made.server.key}`,
        ...made.clients.map((c) => `client  ${c.cert} ${c.key} (${c.role === undefined ? 'no role' : `role ${c.role}`})`),
        `try: submeter serve --tls 127.0.0.1:8802 --tls-cert ${made.server.cert} --tls-key ${made.server.key} --tls-ca ${made.ca.cert}`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
