/**
 * `submeter serve`: one meter, a fleet (`--count N`) or a whole panel (`--config panel.yaml`),
 * served over Modbus/TCP, gateways, RTU buses and RTU over TCP. Prints a startup summary with an
 * mbpoll command and `ready` on stdout; logs to stderr; on SIGINT/SIGTERM persists every meter,
 * closes every port and exits 0 (1 when a meter's last save failed).
 */
import { Command } from 'commander';
import { join } from 'node:path';
import { loadPanelConfig } from '../runtime/config/load-panel-config.js';
import { DEFAULT_PROFILE } from '../runtime/config/meter-defaults.js';
import { panelFromFlags, type ServeFlags } from '../runtime/config/panel-from-flags.js';
import { parseShard, shardPanelSpec, type Shard } from '../runtime/config/shard.js';
import { parseTcpEndpoint } from '../runtime/endpoints/tcp-address.js';
import { availableParallelism } from 'node:os';
import { runWorkers, stopWhenPrimaryLeaves, WORKER_ENV } from './serve-workers.js';
import { announceWorkerControl, newWorkerSecret } from '../runtime/workers/worker-control-announcement.js';
import { isLogLevel, StreamLogger, type Logger } from '../runtime/log/logger.js';
import { defaultMeterFactory, registerMapFor } from '../runtime/meters/default-meter-factory.js';
import { profileProblem, sourceProblem } from '../runtime/meters/meter-name-problems.js';
import { startPanel, type Panel, type StartPanelOptions } from '../runtime/panel.js';
import type { PanelSpec, TlsCredentialFiles } from '../runtime/panel-spec.js';
import { CliError } from './cli-error.js';
import { mountHttpOutputs } from './http-outputs.js';
import { DEFAULT_PER_METER_LIMIT } from '../metrics/panel-metrics.js';
import { hostPort, integerIn, nonNegativeNumber, oneOf, parseUnitIds, positiveNumber, profileOption, stopBits } from './option-parsers.js';
import { errorMessage } from '../common/error-message.js';
import { mqttOptionsFrom, type MqttFlags } from '../runtime/config/mqtt-flags.js';
import { unknownName } from '../common/name-suggestion.js';

const LOG_LEVELS = ['error', 'warn', 'info', 'debug'];

interface ServeCommandOptions extends ServeFlags, MqttFlags {
  config?: string;
  logLevel: string;
  responseDelay?: number;
  maxConnections?: number;
  idleTimeout?: number;
  frameTimeout?: number;
  control?: string | boolean;
  http?: string | boolean;
  httpHost?: string;
  metricsMeters?: number;
  controlToken?: string;
  allEndpoints?: boolean;
  controlTls?: boolean;
  shard?: Shard;
  workers?: number;
}

/** Flags that describe meters or endpoints, which a config file describes instead. */
const panelFlags: ReadonlyArray<[keyof ServeCommandOptions, string]> = [
  ['profile', '--profile'],
  ['option', '--option'],
  ['tcp', '--tcp'],
  ['rtu', '--rtu'],
  ['rtuTcp', '--rtu-tcp'],
  ['unit', '--unit'],
  ['source', '--source'],
  ['gateway', '--gateway'],
  ['count', '--count'],
  ['serial', '--serial'],
  ['baud', '--baud'],
  ['parity', '--parity'],
  ['tls', '--tls'],
  ['tlsDefaultRole', '--tls-default-role'],
];

/** The PanelSpec the options describe (config file, with --speed and --state overriding it; or flags). */
export function panelSpecFromOptions(options: ServeCommandOptions): PanelSpec {
  if (options.config === undefined) {
    checkNameFlags(options);
    return panelFromFlags(withProfileLine(options));
  }
  const clash = panelFlags.find(([key]) => options[key] !== undefined);
  const certificateFlag = (['tlsCert', 'tlsKey', 'tlsCa'] as const).find((key) => options[key] !== undefined);
  if (certificateFlag !== undefined && options.controlTls !== true) {
    throw new CliError('with --config, --tls-cert, --tls-key and --tls-ca are for --control-tls only (a tls: endpoint names its own files)', 2);
  }
  if (clash !== undefined) throw new CliError(`${clash[1]} cannot be combined with --config (the config file describes the meters and endpoints)`, 2);
  const spec = loadPanelConfig(options.config);
  if (options.speed !== undefined) spec.speed = options.speed;
  const state = options.state;
  if (state !== undefined) for (const meter of spec.meters) meter.stateDir = join(state, meter.name);
  return spec;
}

/** `--profile sdm360`, `--source synthetic:ofice`: exit 2 with the closest known name, before anything starts. */
function checkNameFlags(options: ServeCommandOptions): void {
  const profile = options.profile === undefined ? undefined : profileProblem(options.profile);
  if (profile !== undefined) throw new CliError(`--profile ${options.profile ?? ''}: ${profile}`, 2);
  const source = options.source === undefined ? undefined : sourceProblem(options.source);
  if (source !== undefined) throw new CliError(`--source ${options.source ?? ''}: ${source}`, 2);
}

/** RTU line settings not given as flags come from the profile's map (sdm630: 9600 8N1), as `read` does. */
function withProfileLine(options: ServeCommandOptions): ServeCommandOptions {
  if (options.rtu === undefined && options.rtuTcp === undefined) return options;
  let line;
  try {
    line = registerMapFor(options.profile ?? DEFAULT_PROFILE).rtu;
  } catch {
    return options; // an unknown profile is reported when the meter is built
  }
  if (line === undefined) return options;
  return { ...options, baud: options.baud ?? line.baudRate, parity: options.parity ?? line.parity, stopBits: options.stopBits ?? line.stopBits };
}

/** --workers: a count, or auto (one per core). */
function workerCount(text: string): number {
  if (text === 'auto') return availableParallelism();
  return integerIn(1, 256)(text);
}

export interface ServeHooks {
  /** Overrides for library embedding and tests. */
  panelOptions?: Partial<StartPanelOptions>;
  /** List every endpoint in the summary. */
  allEndpoints?: boolean;
  /** Meters with per-meter series in /metrics. */
  metricsMeters?: number | undefined;
  /** Called once the panel serves, before its summary and `ready` are printed. */
  onStarted?: ((panel: Panel) => void) | undefined;
}

export function serveCommand(hooks: ServeHooks = {}): Command {
  return new Command('serve')
    .description('serve one meter, a fleet (--count) or a panel (--config) over Modbus TCP / RTU')
    .option('--config <file>', 'panel config file (YAML): meters and where they are served')
    .option('--profile <name>', 'register map: titan, sdm630, sunspec, em24 (or demo)')
    .option('--option <key=value>', 'profile option, e.g. model=213 for sunspec (repeatable)', profileOption)
    .option('--tcp <host:port>', 'Modbus/TCP address (default 127.0.0.1:1502 when no other endpoint is given)', hostPort)
    .option('--rtu <path>', 'serve an RTU bus on this serial device (e.g. /dev/ttyUSB0, a socat pty)')
    .option('--baud <rate>', "RTU baud rate (1200..230400; default: the profile's, else 19200)", integerIn(1200, 230_400))
    .option('--parity <parity>', "RTU parity: none, even, odd (default: the profile's, else even: 8E1)", oneOf(['none', 'even', 'odd'] as const))
    .option('--stop-bits <n>', 'RTU stop bits: 1 or 2 (default 1)', stopBits)
    .option('--rtu-tcp <host:port>', 'serve RTU frames (with CRC) over TCP, as serial-to-Ethernet gateways do', hostPort)
    .option('--tls <host[:port]>', 'also serve Modbus/TCP Security (MBAP in TLS, client certificates, roles) here; port 802 by default')
    .option('--tls-cert <file>', 'TLS: the server certificate (PEM)')
    .option('--tls-key <file>', 'TLS: its private key (PEM)')
    .option('--tls-ca <file>', 'TLS: the CA certificate that signs client certificates (PEM)')
    .option('--tls-default-role <role>', 'TLS: role of a client certificate without a role (default: none, every request refused)')
    .option('--unit <ids>', 'unit id of the (first) meter, or a list each its own meter: 1, 1,2,3 or 1-4 (default 1)', parseUnitIds)
    .option('--source <source>', 'synthetic:SCENARIO, comtrade:FILE or csv:FILE (default synthetic:office)')
    .option('--speed <n>', 'simulated time runs n times faster than real time (default 1)', positiveNumber)
    .option('--state <dir>', 'persist meter state in this directory (flushed every half second, after every write and on exit)')
    .option('--count <n>', 'serve a fleet of n meters (consecutive TCP ports; unit ids with --gateway or --rtu)', integerIn(1, 1_000_000))
    .option('--shard <K/N>', 'serve only the K-th of N slices of the fleet (identities, ports and unit ids as in the whole fleet)', (text: string) => parseShard(text))
    .option('--workers <n|auto>', 'split the panel over n worker processes (auto: one per core; default 1)', workerCount)
    .option('--gateway', 'serve the fleet as unit ids 1..n behind one TCP port (247 per port, then the next port)')
    .option('--serial <n>', 'serial number of the (first) meter; the next ones count up', integerIn(1, 4_294_967_295))
    .option('--response-delay <ms>', 'RTU: wait this long before answering, like a real meter', nonNegativeNumber)
    .option('--max-connections <n>', 'TCP connections served at once per port (default 32)', integerIn(1, 10_000))
    .option('--idle-timeout <seconds>', 'close a TCP connection with no complete request this long; 0: never (default 60)', nonNegativeNumber)
    .option('--frame-timeout <seconds>', 'close a TCP connection whose incomplete request is older than this; 0: never (default 5)', nonNegativeNumber)
    .option('--control [host:port]', 'start the HTTP server: control API, dashboard at /, /metrics, /healthz (default 127.0.0.1:8502)', hostPort)
    .option('--http [host:port]', 'the same as --control', hostPort)
    .option('--http-host <names>', 'host names (comma-separated) the HTTP server answers besides its address and loopback, e.g. a container name (others get 403: DNS rebinding)')
    .option('--metrics-meters <n>', `meters with their own series in /metrics (the first n; default ${DEFAULT_PER_METER_LIMIT}; 0: fleet totals only)`, integerIn(0, 100_000))
    .option('--control-tls', 'serve the control API over HTTPS with --tls-cert/--tls-key/--tls-ca (client certificate role admin to change, reader to read; or the token)')
    .option('--control-token <token>', 'bearer token the control API requires (needed to bind it beyond loopback)')
    .option('--mqtt <url>', 'publish to an MQTT broker: mqtt://HOST:1883 or mqtts://HOST:8883 (user:password@ in the URL or SUBMETER_MQTT_USERNAME/_PASSWORD; never printed)')
    .option('--mqtt-ca <file>', 'MQTT over TLS: CA certificate (PEM) to trust')
    .option('--mqtt-cert <file>', 'MQTT over TLS: client certificate (PEM)')
    .option('--mqtt-key <file>', 'MQTT over TLS: client key (PEM)')
    .option('--mqtt-interval <seconds>', 'telemetry interval per meter (default 10; spread over the fleet)', positiveNumber)
    .option('--mqtt-prefix <topic>', 'topic prefix: <prefix>/<meter>/state ... (default submeter)')
    .option('--mqtt-qos <n>', 'QoS of telemetry, events and results: 0, 1 or 2 (default 0)', integerIn(0, 2))
    .option('--mqtt-retain', 'retain telemetry (discovery and availability are always retained)')
    .option('--mqtt-version <version>', 'MQTT protocol: 3.1.1 or 5 (default 5)', oneOf(['3.1.1', '5'] as const))
    .option('--mqtt-sparkplug <group/edge-node>', 'also publish as a Sparkplug B edge node (NBIRTH/DBIRTH/DDATA, NDEATH as Will), each meter a device')
    .option('--no-mqtt-discovery', 'do not publish Home Assistant discovery configs')
    .option('--all-endpoints', 'list every endpoint in the startup summary (by default past 12 the list is abridged)')
    .option('--log-level <level>', 'error, warn, info or debug', 'info')
    .action(async (options: ServeCommandOptions) => {
      if (!isLogLevel(options.logLevel)) throw new CliError(`--log-level ${options.logLevel}: ${unknownName('log level', options.logLevel, LOG_LEVELS)}`, 2);
      const logger: Logger = new StreamLogger(options.logLevel);
      let spec = panelSpecFromOptions({
        ...options,
        responseDelayMs: options.responseDelay,
        // Without --tls the certificate flags serve the control API only (--control-tls).
        ...(options.tls === undefined && options.controlTls === true ? { tlsCert: undefined, tlsKey: undefined, tlsCa: undefined } : {}),
      });
      if (options.shard !== undefined) spec = shardPanelSpec(spec, options.shard);
      spec.maxConnections = options.maxConnections;
      spec.idleTimeoutS = options.idleTimeout;
      spec.mqtt = mqttOptionsFrom(options, spec.mqtt, { caFile: options.tlsCa, certFile: options.tlsCert, keyFile: options.tlsKey });
      spec.frameTimeoutS = options.frameTimeout;
      let control = controlOptions(options);
      const workers = options.workers ?? 1;
      const worker = process.env[WORKER_ENV];
      if (worker === undefined && workers > 1) {
        // Every slice is checked here, so a bad split is reported once, before any worker starts.
        for (let w = 1; w <= workers; w += 1) shardPanelSpec(spec, { index: w, count: workers }, '--workers');
        await runWorkers(workers, logger, spec, control);
        return;
      }
      let onStarted: ServeHooks['onStarted'];
      if (worker !== undefined) {
        spec = shardPanelSpec(spec, parseShard(worker, WORKER_ENV), '--workers');
        stopWhenPrimaryLeaves();
        if (control !== undefined) {
          // The primary serves the user's address; this worker's API is for the primary alone.
          const token = newWorkerSecret();
          control = { host: '127.0.0.1', port: 0, token };
          onStarted = (panel) => {
            if (panel.controlUrl !== undefined) announceWorkerControl(panel.controlUrl, token);
          };
        }
      }
      await runServe(spec, logger, { ...hooks, onStarted: onStarted ?? hooks.onStarted, allEndpoints: options.allEndpoints === true, metricsMeters: options.metricsMeters, panelOptions: { control, ...hooks.panelOptions } });
    });
}

/** Where and how to serve the control API (--control/--http, --control-token, --control-tls, --http-host), or undefined. */
function controlOptions(options: ServeCommandOptions): StartPanelOptions['control'] {
  if (options.control !== undefined && options.http !== undefined) throw new CliError('--http is another name for --control: give one of them', 2);
  const http = options.control ?? options.http;
  if (http === undefined && options.controlToken === undefined) {
    if (options.controlTls === true) throw new CliError('--control-tls needs --control', 2);
    return undefined;
  }
  const address = typeof http === 'string' ? http : '127.0.0.1:8502';
  let parsed;
  try {
    parsed = parseTcpEndpoint(address);
  } catch (error) {
    throw new CliError(`--control ${address}: ${errorMessage(error)}`, 2);
  }
  const allowedHosts = options.httpHost?.split(',').map((h) => h.trim()).filter((h) => h !== '');
  return { host: parsed.host, port: parsed.port, token: options.controlToken, tls: controlTls(options), allowedHosts };
}

/** The certificate files of the HTTPS control API (--control-tls), or undefined for HTTP. */
function controlTls(options: ServeCommandOptions): TlsCredentialFiles | undefined {
  if (options.controlTls !== true) return undefined;
  const { tlsCert: certFile, tlsKey: keyFile, tlsCa: caFile } = options;
  if (certFile === undefined || keyFile === undefined || caFile === undefined) throw new CliError('--control-tls needs --tls-cert, --tls-key and --tls-ca', 2);
  return { certFile, keyFile, caFile };
}

/** Starts the panel, prints the summary and `ready`, and stops cleanly on SIGINT/SIGTERM. */
export async function runServe(spec: PanelSpec, logger: Logger, hooks: ServeHooks = {}): Promise<void> {
  // Handlers first: a signal while starting must still stop cleanly.
  let panel: Panel | undefined;
  let signalled: NodeJS.Signals | undefined;
  let resolveStopped: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  const onSignal = (signal: NodeJS.Signals): void => {
    if (signalled !== undefined) {
      // A second Ctrl-C: the user does not want to wait for the state to be saved.
      process.stderr.write(`submeter: ${signal} again: exiting without waiting\n`);
      process.exit(130);
    }
    signalled = signal;
    logger.info(`${signal}: saving state and closing ports`);
    if (panel !== undefined) void panel.stop().then(resolveStopped);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started = performance.now();
  try {
    panel = await startPanel(spec, { meterFactory: defaultMeterFactory, logger, ...hooks.panelOptions });
  } catch (error) {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw error;
  }
  if (panel.control !== undefined) mountHttpOutputs(panel, panel.control.server, { perMeterLimit: hooks.metricsMeters });
  hooks.onStarted?.(panel);
  if (signalled !== undefined) {
    await panel.stop();
  } else {
    const lines = panel.summary(hooks.allEndpoints === true ? Number.POSITIVE_INFINITY : undefined);
    lines.push(`ready in ${Math.round(performance.now() - started)} ms (Ctrl-C to stop)`);
    process.stdout.write(lines.join('\n') + '\n');
    await stopped;
  }
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  if (panel.unsaved > 0) throw new CliError(`stopped, but the state of ${panel.unsaved} meter${panel.unsaved === 1 ? '' : 's'} could not be saved (see above)`);
  logger.info('stopped');
}
