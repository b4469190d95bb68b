/**
 * `submeter serve`: serve a device over Modbus/TCP. Until the meter and register-map layers land
 * it serves the demonstration device on unit 1 (and 0, 255). Other layers plug in through
 * `ServedDeviceFactory`: a function from the parsed options to the router or device to serve.
 */
import { Command, InvalidArgumentError } from 'commander';
import type { ModbusDevice } from '../modbus/device.js';
import { ModbusTcpServer } from '../modbus/tcp/tcp-server.js';
import type { UnitRouter } from '../modbus/unit-router.js';
import { buildDemoDevice } from './demo-device.js';
import { addRtuServeOptions, deviceFromServed, startRtuServe, wantsRtu, type RtuServeOptions, type RtuServing } from './serve-rtu.js';
import { defaultTcpEndpoint, formatTcpEndpoint, parseTcpEndpoint, type TcpEndpoint } from './tcp-endpoint.js';

export interface ServeOptions {
  tcp: TcpEndpoint;
  maxConnections: number;
  /** Seconds; 0 disables. */
  idleTimeout: number;
}

/** Builds what `serve` answers with: one device (units 1, 0, 255) or a router of several. */
export type ServedDeviceFactory = (options: ServeOptions) => ModbusDevice | UnitRouter | Promise<ModbusDevice | UnitRouter>;

/** The default factory: the demonstration device. */
export const demoDeviceFactory: ServedDeviceFactory = () => buildDemoDevice();

function positiveInteger(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`${name} must be a positive integer, got ${JSON.stringify(text)}`);
    return value;
  };
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new InvalidArgumentError(`must be a number of seconds >= 0, got ${JSON.stringify(text)}`);
  return value;
}

function tcpEndpoint(text: string): TcpEndpoint {
  try {
    return parseTcpEndpoint(text);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

function listenErrorMessage(error: unknown, endpoint: TcpEndpoint): string {
  const where = formatTcpEndpoint(endpoint);
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') return `cannot listen on ${where}: address already in use (is another server running? try --tcp ${endpoint.host}:${endpoint.port + 1})`;
  if (code === 'EACCES') return `cannot listen on ${where}: permission denied (ports below 1024 need privileges; try ${endpoint.host}:1502)`;
  if (code === 'EADDRNOTAVAIL') return `cannot listen on ${where}: no such local address`;
  return `cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`;
}

/** Starts serving; resolves with the running server (for embedding and tests). Throws on listen errors. */
export async function startServe(options: ServeOptions, factory: ServedDeviceFactory = demoDeviceFactory): Promise<ModbusTcpServer> {
  const served = await factory(options);
  const server = new ModbusTcpServer({ router: served, maxConnections: options.maxConnections, idleTimeoutMs: options.idleTimeout * 1000 });
  await server.listen(options.tcp.port, options.tcp.host);
  return server;
}

export function serveCommand(factory: ServedDeviceFactory = demoDeviceFactory): Command {
  const command = new Command('serve')
    .description('serve the meter over Modbus/TCP (for now: a demonstration device on unit 1)')
    .option('--tcp <host:port>', 'Modbus/TCP listen address', tcpEndpoint, defaultTcpEndpoint)
    .option('--max-connections <n>', 'TCP connections served at once', positiveInteger('--max-connections'), 32)
    .option('--idle-timeout <seconds>', 'close a TCP connection silent this long (0: never)', seconds, 60)
    .action(async (options: ServeOptions & RtuServeOptions) => {
      // RTU only (no TCP) when --rtu/--rtu-tcp is given and --tcp is not.
      const tcpWanted = !wantsRtu(options) || command.getOptionValueSource('tcp') !== 'default';
      let rtu: RtuServing | undefined;
      // Handlers first: a signal arriving while starting (or right after the startup line) must
      // still close cleanly, not kill the process with the default disposition.
      let server: ModbusTcpServer | undefined;
      let stopping = false;
      const stop = (): void => {
        if (stopping) return;
        stopping = true;
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        void Promise.all([server?.close(), rtu?.close()]).then(() => process.exit(0));
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
      try {
        if (wantsRtu(options)) rtu = await startRtuServe(options, async (unit) => deviceFromServed(await factory(options), unit));
      } catch (error) {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stderr.write(`submeter serve: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exitCode = 1;
        return;
      }
      if (!tcpWanted) {
        process.stdout.write(`${(rtu?.lines ?? []).join('\n')}\n`);
        if (stopping) await rtu?.close();
        return;
      }
      try {
        server = await startServe(options, factory);
      } catch (error) {
        await rtu?.close();
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        process.stderr.write(`submeter serve: ${listenErrorMessage(error, options.tcp)}\n`);
        process.exitCode = 1;
        return;
      }
      if (stopping) {
        await server.close();
        return;
      }
      const { address, port } = server.address();
      const bound = formatTcpEndpoint({ host: address, port });
      process.stdout.write(
        `submeter: Modbus/TCP listening on ${bound} (unit 1; also answers 0 and 255)\n` +
          `  try: mbpoll -m tcp -p ${port} -a 1 -0 -r 0 -c 10 -t 3 -1 ${address}\n`,
      );
      if (rtu !== undefined) process.stdout.write(`${rtu.lines.join('\n')}\n`);
    });
  return addRtuServeOptions(command);
}
