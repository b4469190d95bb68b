/**
 * A real Mosquitto broker for tests (Debian package `mosquitto`): started on free ports with its
 * own config file in a temporary directory, optionally with a TLS listener (certificates made
 * here with the openssl CLI: a CA, a server certificate for 127.0.0.1, a client certificate) and
 * a password file. Ready when its log says it runs; restartable on the same ports with its
 * retained messages (persistence on), as a broker restart is.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolAvailable } from './external-tool.js';

export const MOSQUITTO = '/usr/sbin/mosquitto';

export function mosquittoAvailable(): boolean {
  return toolAvailable(MOSQUITTO, ['-h']) && toolAvailable('mosquitto_sub', ['--help']) && toolAvailable('openssl', ['version']);
}

export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

export interface TlsFiles {
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function openssl(args: string[], cwd: string): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${run.stderr}`);
}

/** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, signed by the CA (EC P-256: fast to make). */
export function makeTlsFiles(dir: string): TlsFiles {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=submeter test CA'], dir);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir);
  openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext'], dir);
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  openssl(['req', ...ec, '-keyout', 'client.key', '-out', 'client.csr', '-subj', '/CN=submeter-client'], dir);
  openssl(['x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'client.pem', '-days', '2', '-extfile', 'client.ext'], dir);
  return {
    ca: join(dir, 'ca.pem'),
    serverCert: join(dir, 'server.pem'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.pem'),
    clientKey: join(dir, 'client.key'),
  };
}

export interface MosquittoOptions {
  /** Add a TLS listener requiring a client certificate signed by the test CA. */
  tls?: boolean;
  /** Require this user name and password (no anonymous clients). */
  credentials?: { username: string; password: string };
}

export interface Mosquitto {
  readonly port: number;
  readonly url: string;
  readonly tlsPort: number | undefined;
  readonly tlsUrl: string | undefined;
  readonly tlsFiles: TlsFiles | undefined;
  readonly dir: string;
  /** The broker's log so far. */
  log(): string;
  /** SIGTERM and wait for the exit (retained messages are saved). */
  stop(): Promise<void>;
  /** Start again on the same ports and files. */
  start(): Promise<void>;
  /** Stop and delete the directory. */
  dispose(): Promise<void>;
}

export async function startMosquitto(options: MosquittoOptions = {}): Promise<Mosquitto> {
  const dir = mkdtempSync(join(tmpdir(), 'submeter-mosquitto-'));
  const port = await freePort();
  const tlsPort = options.tls === true ? await freePort() : undefined;
  const tlsFiles = options.tls === true ? makeTlsFiles(dir) : undefined;
  const lines = [
    'per_listener_settings false',
    'persistence true',
    `persistence_location ${dir}/`,
    'log_dest stderr',
    'log_type error',
    'log_type warning',
    'log_type notice',
    'log_type information',
    'connection_messages true',
    `listener ${port} 127.0.0.1`,
  ];
  // Run as root (CI containers), mosquitto would switch to its own user, who cannot read this temp directory.
  if (process.getuid?.() === 0) lines.unshift('user root');
  if (tlsFiles !== undefined && tlsPort !== undefined) {
    lines.push(`listener ${tlsPort} 127.0.0.1`, `cafile ${tlsFiles.ca}`, `certfile ${tlsFiles.serverCert}`, `keyfile ${tlsFiles.serverKey}`, 'require_certificate true', 'tls_version tlsv1.2');
  }
  if (options.credentials !== undefined) {
    const passwordFile = join(dir, 'passwords');
    writeFileSync(passwordFile, '');
    const made = spawnSync('mosquitto_passwd', ['-b', passwordFile, options.credentials.username, options.credentials.password], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`mosquitto_passwd failed: ${made.stderr}`);
    lines.push('allow_anonymous false', `password_file ${passwordFile}`);
  } else {
    lines.push('allow_anonymous true');
  }
  const configFile = join(dir, 'mosquitto.conf');
  writeFileSync(configFile, lines.join('\n') + '\n');

  let child: ChildProcess | undefined;
  let log = '';
  const start = async (): Promise<void> => {
    const started = spawn(MOSQUITTO, ['-c', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    child = started;
    const before = log.length;
    started.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
    const exited = once(started, 'exit').then(([code]) => {
      throw new Error(`mosquitto exited (${String(code)}) before it was ready: ${log.slice(before)}`);
    });
    for (;;) {
      if (/mosquitto version \S+ running/.test(log.slice(before))) return;
      await Promise.race([once(started.stderr as NodeJS.ReadableStream, 'data'), exited]);
    }
  };
  const stop = async (): Promise<void> => {
    const running = child;
    if (running === undefined || running.exitCode !== null) return;
    const exit = once(running, 'exit');
    running.kill('SIGTERM');
    await exit;
  };
  await start();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    tlsPort,
    tlsUrl: tlsPort === undefined ? undefined : `mqtts://127.0.0.1:${tlsPort}`,
    tlsFiles,
    dir,
    log: () => log,
    stop,
    start,
    dispose: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface MosquittoSub {
  /** Lines printed so far ("topic payload" with -v). */
  output(): string;
  /** The first match of `pattern` in the output, waiting for more as it comes. */
  next(pattern: RegExp): Promise<RegExpExecArray>;
  stop(): Promise<void>;
}

/** Runs Debian's mosquitto_sub (`-v`: each line "topic payload") with `args` until stopped. */
export function mosquittoSub(args: string[]): MosquittoSub {
  const child = spawn('mosquitto_sub', ['-v', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exit = once(child, 'exit');
  return {
    output: () => out,
    next: async (pattern) => {
      for (;;) {
        const match = pattern.exec(out);
        if (match !== null) return match;
        if (child.exitCode !== null) throw new Error(`mosquitto_sub exited (${child.exitCode}) before printing ${pattern}: ${err}`);
        await Promise.race([once(child.stdout, 'data'), exit]);
      }
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exit;
      }
    },
  };
}
