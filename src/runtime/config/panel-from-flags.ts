/**
 * `submeter serve` flags for the common case, turned into a PanelSpec (a SpecError names the flag at fault): one meter, or a fleet of
 * `--count N` meters on consecutive TCP ports, as unit ids behind gateway ports (`--gateway`,
 * at most 247 per port, then the next port), or on one RTU bus. Every meter of a fleet has its
 * own serial number and its own seed, so the fleet shows N different loads.
 */
import { join } from 'node:path';
import { parseTcpEndpoint as parseHostPort, parseTlsEndpoint } from '../endpoints/tcp-address.js';
import type { EndpointSpec, MeterSpec, PanelSpec, Parity, UnitBinding } from '../panel-spec.js';
import { SpecError } from '../runtime-error.js';
import { DEFAULT_PROFILE, DEFAULT_RTU_LINE, DEFAULT_SOURCE, FIRST_SERIAL_NUMBER } from './meter-defaults.js';
import { errorMessage } from '../../common/error-message.js';

export interface ServeFlags {
  profile?: string | undefined;
  /** Profile options (`--option model=213`). */
  option?: Readonly<Record<string, string | number>> | undefined;
  /** HOST:PORT of the (first) Modbus/TCP port. Default 127.0.0.1:1502 when no other endpoint is given. */
  tcp?: string | undefined;
  /** Serial device of an RTU bus. */
  rtu?: string | undefined;
  baud?: number | undefined;
  parity?: Parity | undefined;
  stopBits?: 1 | 2 | undefined;
  responseDelayMs?: number | undefined;
  /** HOST:PORT of an RTU-over-TCP port. */
  rtuTcp?: string | undefined;
  /**
   * Unit ids: one id (the first meter's; a fleet counts up from it) or a list (each its own
   * meter, e.g. [5, 6] for two meters on one bus). Default [1].
   */
  unit?: number[] | undefined;
  source?: string | undefined;
  speed?: number | undefined;
  state?: string | undefined;
  gateway?: boolean | undefined;
  count?: number | undefined;
  /** Serial number of the first meter (the next ones count up). */
  serial?: number | undefined;
  /** Seed of the first meter's load variation; default: none for one meter, 1..N for a fleet. */
  seed?: number | undefined;
  /**
   * HOST or HOST:PORT (default port 802) of a Modbus/TCP Security port serving the same units as
   * the TCP port(s) (a fleet: one TLS port per TCP port, counting up). Without --tcp, only TLS is served.
   */
  tls?: string | undefined;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  tlsCa?: string | undefined;
  /** Role of a client certificate without the role extension (default none: every request refused). */
  tlsDefaultRole?: string | undefined;
}

export const DEFAULT_TCP = '127.0.0.1:1502';
/** Unit ids one gateway port or one RTU bus can address. */
export const MAX_UNITS_PER_LINE = 247;

function checkInteger(name: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) throw new SpecError(`${name} ${value} is outside ${min}..${max}`);
}

function hostPortFlag(name: string, text: string): { host: string; port: number } {
  try {
    return parseHostPort(text);
  } catch (error) {
    throw new SpecError(`${name} ${text}: ${errorMessage(error)}`);
  }
}

export function panelFromFlags(flags: ServeFlags): PanelSpec {
  const unitList = flags.unit ?? [1];
  if (unitList.length > 1 && flags.count !== undefined && flags.count !== unitList.length) {
    throw new SpecError(`--unit lists ${unitList.length} unit ids but --count is ${flags.count}`);
  }
  const count = unitList.length > 1 ? unitList.length : (flags.count ?? 1);
  checkInteger('--count', count, 1, 1_000_000);
  const firstUnit = unitList[0] ?? 1;
  const explicitUnits = unitList.length > 1 ? unitList : undefined;
  const firstSerial = flags.serial ?? FIRST_SERIAL_NUMBER;
  checkInteger('--serial', firstSerial, 1, 4_294_967_295 - count);
  const speed = flags.speed ?? 1;
  if (!(speed > 0) || !Number.isFinite(speed)) throw new SpecError(`--speed must be a positive number, got ${speed}`);
  const source = flags.source ?? DEFAULT_SOURCE;
  if (!/^(synthetic|comtrade|csv):.+$/.test(source)) throw new SpecError(`--source must be synthetic:SCENARIO, comtrade:FILE or csv:FILE, got "${source}"`);

  const meters: MeterSpec[] = [];
  for (let i = 0; i < count; i += 1) {
    const name = count === 1 ? 'meter' : `meter-${String(i + 1).padStart(String(count).length, '0')}`;
    meters.push({
      name,
      profile: flags.profile ?? DEFAULT_PROFILE,
      profileOptions: flags.option ?? {},
      source,
      serialNumber: firstSerial + i,
      seed: flags.seed !== undefined ? flags.seed + i : count === 1 ? 0 : i + 1,
      settings: {},
      stateDir: flags.state === undefined ? undefined : count === 1 ? flags.state : join(flags.state, name),
    });
  }

  const endpoints: EndpointSpec[] = [];
  const lines = (what: string, maxUnit: number): UnitBinding[][] => {
    if (explicitUnits !== undefined) {
      for (const unit of explicitUnits) checkInteger('--unit', unit, 1, maxUnit);
      return [meters.map((meter, i) => ({ unitId: explicitUnits[i] ?? firstUnit, meter: meter.name }))];
    }
    // Unit ids firstUnit.. on one line, up to maxUnit, then the next line starts again at firstUnit.
    const perLine = maxUnit - firstUnit + 1;
    if (perLine < 1) throw new SpecError(`--unit ${firstUnit} leaves no unit ids for ${what}`);
    const result: UnitBinding[][] = [];
    meters.forEach((meter, i) => {
      const line = Math.floor(i / perLine);
      (result[line] ??= []).push({ unitId: firstUnit + (i % perLine), meter: meter.name });
    });
    return result;
  };

  const wantsTcp = flags.tcp !== undefined || (flags.rtu === undefined && flags.rtuTcp === undefined && flags.tls === undefined);
  if (flags.tls === undefined) {
    const tlsOnly = [['tlsCert', '--tls-cert'], ['tlsKey', '--tls-key'], ['tlsCa', '--tls-ca'], ['tlsDefaultRole', '--tls-default-role']] as const;
    const stray = tlsOnly.find(([key]) => flags[key] !== undefined);
    if (stray !== undefined) throw new SpecError(`${stray[1]} needs --tls HOST[:PORT]`);
  }
  if (wantsTcp || flags.tls !== undefined) {
    const { host, port } = hostPortFlag('--tcp', flags.tcp ?? DEFAULT_TCP);
    if (flags.gateway === true) {
      checkInteger('--unit', firstUnit, 1, MAX_UNITS_PER_LINE);
      lines('a gateway', MAX_UNITS_PER_LINE).forEach((units, i) => {
        endpoints.push({ kind: 'tcp', host, port: port === 0 ? 0 : port + i, units, gateway: true });
      });
    } else {
      if (explicitUnits !== undefined) throw new SpecError('several --unit ids on TCP need --gateway (or use --count N for N ports)');
      checkInteger('--unit', firstUnit, 0, 255);
      meters.forEach((meter, i) => {
        endpoints.push({ kind: 'tcp', host, port: port === 0 ? 0 : port + i, units: [{ unitId: firstUnit, meter: meter.name }], gateway: false });
      });
    }
    const last = endpoints[endpoints.length - 1];
    if (last !== undefined && last.kind === 'tcp' && last.port > 65_535) {
      throw new SpecError(`--count ${count} from port ${port} runs past port 65535`);
    }
    if (flags.tls !== undefined) {
      const plain = endpoints.splice(0, endpoints.length);
      const secured = tlsEndpoints(flags, flags.tls, plain);
      if (wantsTcp) endpoints.push(...plain);
      endpoints.push(...secured);
    }
  } else if (flags.gateway === true) {
    throw new SpecError('--gateway needs --tcp (an RTU bus and RTU over TCP always address meters by unit id)');
  }
  if (flags.rtu !== undefined) {
    checkInteger('--unit', firstUnit, 1, MAX_UNITS_PER_LINE);
    const rtuLines = lines('the RTU bus', MAX_UNITS_PER_LINE);
    if (rtuLines.length > 1) throw new SpecError(`one RTU bus holds at most ${MAX_UNITS_PER_LINE - firstUnit + 1} meters from unit ${firstUnit}; --count ${count} is too many`);
    const baudRate = flags.baud ?? DEFAULT_RTU_LINE.baudRate;
    checkInteger('--baud', baudRate, 1200, 230_400);
    endpoints.push({
      kind: 'rtu',
      path: flags.rtu,
      baudRate,
      parity: flags.parity ?? DEFAULT_RTU_LINE.parity,
      stopBits: flags.stopBits ?? DEFAULT_RTU_LINE.stopBits,
      responseDelayMs: flags.responseDelayMs ?? 0,
      units: rtuLines[0] ?? [],
    });
  }
  if (flags.rtuTcp !== undefined) {
    checkInteger('--unit', firstUnit, 1, MAX_UNITS_PER_LINE);
    const { host, port } = hostPortFlag('--rtu-tcp', flags.rtuTcp);
    lines('RTU over TCP', MAX_UNITS_PER_LINE).forEach((units, i) => {
      endpoints.push({ kind: 'rtu-over-tcp', host, port: port === 0 ? 0 : port + i, units });
    });
  }
  return { meters, endpoints, speed };
}

/** The Modbus/TCP Security twins of the TCP endpoints: the same units, on the --tls address (ports counting up). */
function tlsEndpoints(flags: ServeFlags, address: string, plain: readonly EndpointSpec[]): EndpointSpec[] {
  let parsed;
  try {
    parsed = parseTlsEndpoint(address);
  } catch (error) {
    throw new SpecError(errorMessage(error));
  }
  const { tlsCert: certFile, tlsKey: keyFile, tlsCa: caFile } = flags;
  if (certFile === undefined || keyFile === undefined || caFile === undefined) {
    const missing = [certFile === undefined ? '--tls-cert' : '', keyFile === undefined ? '--tls-key' : '', caFile === undefined ? '--tls-ca' : ''].filter((f) => f !== '');
    throw new SpecError(`--tls needs ${missing.join(', ')} (the server certificate, its key and the CA of client certificates; \`submeter certs\` makes a test set)`);
  }
  const secured: EndpointSpec[] = [];
  plain.forEach((endpoint, i) => {
    if (endpoint.kind !== 'tcp') return;
    const port = parsed.port === 0 ? 0 : parsed.port + i;
    if (port > 65_535) throw new SpecError(`--tls: ${plain.length} ports from ${parsed.port} run past port 65535`);
    secured.push({ kind: 'tls', host: parsed.host, port, units: endpoint.units, gateway: endpoint.gateway, credentials: { certFile, keyFile, caFile }, defaultRole: flags.tlsDefaultRole });
  });
  return secured;
}
