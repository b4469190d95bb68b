/**
 * What `submeter serve` runs, after flags or a config file have been read and validated: the
 * meters of a panel and the endpoints (TCP ports, gateways, RTU buses, RTU over TCP) that serve
 * them by unit id. Library users build one of these directly and hand it to startPanel().
 */
import type { MeterSettings } from '../meter/snapshot.js';
import type { MqttOptions } from '../mqtt/mqtt-options.js';
import type { RoleTable } from './security/role-table.js';

/** Where a value came from in a config file, so late errors still point at the line. */
export interface SpecOrigin {
  file: string;
  line: number;
}

export interface MeterSpec {
  /** Unique within the panel ("incomer", "tenant-3", "meter-0042"). */
  name: string;
  /** Register-map profile: titan, sdm630, sunspec, em24 ... */
  profile: string;
  /** Profile options (e.g. { model: 213 } for sunspec). */
  profileOptions: Readonly<Record<string, string | number>>;
  /** Measurement source: "synthetic:SCENARIO", "comtrade:FILE", "csv:FILE". */
  source: string;
  serialNumber: number;
  /** Seed of this meter's load variation (0 = the scenario exactly as defined). */
  seed: number;
  /** Settings applied at start (CT ratio, demand period ...); the meter checks their bounds. */
  settings: Partial<MeterSettings>;
  /** Persistence directory of this meter; undefined = in memory only. */
  stateDir: string | undefined;
  origin?: SpecOrigin | undefined;
}

/** One unit id of an endpoint and the meter that answers it. */
export interface UnitBinding {
  unitId: number;
  meter: string;
}

export type Parity = 'none' | 'even' | 'odd';

export interface TcpEndpointSpec {
  kind: 'tcp';
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  units: UnitBinding[];
  /**
   * Gateway mode: each unit id its own meter, an absent unit answers exception 0x0B. Otherwise
   * the single meter also answers unit ids 0 and 255, as a TCP meter does.
   */
  gateway: boolean;
  origin?: SpecOrigin | undefined;
}

export interface RtuLineSettings {
  baudRate: number;
  parity: Parity;
  /** Data bits are always 8 (RTU). */
  stopBits: 1 | 2;
  /** Delay before each answer (ms), as real meters do; 0 = answer at once. */
  responseDelayMs: number;
}

export interface RtuEndpointSpec extends RtuLineSettings {
  kind: 'rtu';
  /** Serial device path (/dev/ttyUSB0, a socat pty ...). */
  path: string;
  units: UnitBinding[];
  origin?: SpecOrigin | undefined;
}

export interface RtuOverTcpEndpointSpec {
  kind: 'rtu-over-tcp';
  host: string;
  port: number;
  units: UnitBinding[];
  origin?: SpecOrigin | undefined;
}

/** Certificate files (PEM) of a TLS endpoint: its own chain and key, and the CA that signs clients. */
export interface TlsCredentialFiles {
  certFile: string;
  keyFile: string;
  caFile: string;
}

/**
 * Modbus/TCP Security (MBAP inside TLS, client certificates, roles): served like a TCP endpoint
 * (one meter or a gateway), each request checked against the client's role (PanelSpec.roles).
 */
export interface TlsEndpointSpec {
  kind: 'tls';
  host: string;
  /** Default 802; 0 picks a free port (tests). */
  port: number;
  units: UnitBinding[];
  gateway: boolean;
  credentials: TlsCredentialFiles;
  /** Role of a client certificate without the role extension; undefined: such a client is refused every request. */
  defaultRole: string | undefined;
  origin?: SpecOrigin | undefined;
}

export type EndpointSpec = TcpEndpointSpec | RtuEndpointSpec | RtuOverTcpEndpointSpec | TlsEndpointSpec;

export interface PanelSpec {
  meters: MeterSpec[];
  endpoints: EndpointSpec[];
  /** Simulated time runs this many times faster than real time (1 = real time). */
  speed: number;
  /** Meter time at start (ms since epoch) when simulated; undefined = now. */
  startTimeMs?: number | undefined;
  /** TCP connections served at once per port (default 32). */
  maxConnections?: number | undefined;
  /** A TCP connection with no complete request this long (s) is closed; 0 = never (default 60). */
  idleTimeoutS?: number | undefined;
  /** Publish the meters over MQTT (config file `mqtt:` block, or `serve --mqtt`). */
  mqtt?: MqttOptions | undefined;
  /** Roles of Modbus/TCP Security clients, added to (or replacing) the built-in reader, operator, admin. */
  roles?: RoleTable | undefined;
  /** A TCP connection whose incomplete request is older than this (s) is closed; 0 = never (default 5). */
  frameTimeoutS?: number | undefined;
}
