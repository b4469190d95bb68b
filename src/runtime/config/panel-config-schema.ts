/**
 * The panel config file (`submeter serve --config panel.yaml`), as a zod schema: meters by name
 * (profile, source, serial number, settings) and the endpoints that serve them by unit id (TCP
 * ports, gateways, RTU buses with their line settings, RTU over TCP). Checked field by field
 * here; cross-references (a unit naming an unknown meter, a port used twice) are checked by
 * loadPanelConfig, which also turns every problem into file:line: field: message.
 */
import { z } from 'zod';
import { WRITE_RIGHTS } from '../security/role-table.js';

const hostPortText = z
  .string()
  .regex(/^(\[[0-9a-fA-F:.]+\]|[^\s:]*):\d{1,5}$|^\d{1,5}$/, 'expected HOST:PORT (e.g. 0.0.0.0:1502 or 127.0.0.1:0)');
/** HOST:PORT, or a bare port number (127.0.0.1). */
const hostPort = z.union([hostPortText, z.number().int().min(0).max(65_535).transform((port) => String(port))], {
  error: 'expected HOST:PORT (e.g. 0.0.0.0:1502) or a port number',
});

const meterName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a meter name is letters, digits, "_", "-" or "." (e.g. tenant-3)');

const source = z
  .string()
  .regex(/^(synthetic|comtrade|csv):.+$/, 'expected synthetic:SCENARIO, comtrade:FILE or csv:FILE');

const settingsSchema = z.strictObject({
  ctRatio: z.number().positive().optional(),
  ptRatio: z.number().positive().optional(),
  nominalVoltage: z.number().positive().optional(),
  nominalFrequency: z.union([z.literal(50), z.literal(60)]).optional(),
  nominalCurrent: z.number().positive().optional(),
  demandMethod: z.enum(['block', 'sliding']).optional(),
  demandPeriodS: z.number().int().positive().optional(),
  demandSubPeriodS: z.number().int().positive().optional(),
  profilePeriodS: z.number().int().positive().optional(),
  emissionFactorKgPerKWh: z.number().nonnegative().optional(),
});

const profileOptions = z.record(z.string(), z.union([z.string(), z.number()]));

const mqttQos = z.union([z.literal(0), z.literal(1), z.literal(2)]);
const mqttInterval = z.number().min(0.1).max(86_400);

/** Per meter: `mqtt: { interval: 1, qos: 1, retain: true }` or `mqtt: false` (not published). */
const meterMqtt = z.union([
  z.boolean(),
  z.strictObject({ interval: mqttInterval.optional(), qos: mqttQos.optional(), retain: z.boolean().optional() }),
]);

/** For the whole panel (see docs/mqtt.md); `serve --mqtt...` flags override it. */
export const panelMqttSchema = z.strictObject({
  url: z.string().regex(/^mqtts?:\/\/.+/, 'expected mqtt://HOST:PORT or mqtts://HOST:PORT'),
  ca: z.string().min(1).optional(),
  cert: z.string().min(1).optional(),
  key: z.string().min(1).optional(),
  prefix: z.string().regex(/^[^#+/][^#+]*[^#+/]$|^[^#+/]$/, 'a topic prefix without "#", "+" or a leading/trailing "/"').optional(),
  interval: mqttInterval.optional(),
  qos: mqttQos.optional(),
  retain: z.boolean().optional(),
  version: z.union([z.literal('3.1.1'), z.literal('5'), z.literal(5)]).optional(),
  discovery: z.boolean().optional(),
  discoveryPrefix: z.string().min(1).optional(),
  /** Also publish as a Sparkplug B edge node. */
  sparkplug: z.strictObject({ group: z.string().regex(/^[^/+#]+$/, 'no "/", "+" or "#"'), edgeNode: z.string().regex(/^[^/+#]+$/, 'no "/", "+" or "#"') }).optional(),
});

const meterFields = {
  profile: z.string().min(1).optional(),
  profileOptions: profileOptions.optional(),
  source: source.optional(),
  serialNumber: z.number().int().min(1).max(4_294_967_295).optional(),
  seed: z.number().int().min(0).max(4_294_967_295).optional(),
  settings: settingsSchema.optional(),
  mqtt: meterMqtt.optional(),
};

export const meterEntrySchema = z.strictObject(meterFields);
export const meterDefaultsSchema = z.strictObject({
  profile: meterFields.profile,
  profileOptions: meterFields.profileOptions,
  source: meterFields.source,
  settings: meterFields.settings,
  mqtt: meterFields.mqtt,
});

/** `units: { 1: incomer, 2: tenant-2 }` or `meters: [a, b]` (unit ids 1, 2 ...). */
const unitMap = z.record(z.string().regex(/^\d{1,3}$/, 'a unit id key is a number 0..255'), meterName);

const unitsFields = {
  units: unitMap.optional(),
  meters: z.array(meterName).min(1).optional(),
};

const tcpEndpoint = z.strictObject({
  tcp: hostPort,
  gateway: z.boolean().optional(),
  ...unitsFields,
});

const rtuEndpoint = z.strictObject({
  rtu: z.string().min(1),
  baud: z.number().int().min(1200).max(230_400).optional(),
  parity: z.enum(['none', 'even', 'odd']).optional(),
  stopBits: z.union([z.literal(1), z.literal(2)]).optional(),
  responseDelayMs: z.number().min(0).max(1000).optional(),
  ...unitsFields,
});

const rtuOverTcpEndpoint = z.strictObject({
  rtuOverTcp: hostPort,
  ...unitsFields,
});

/** Modbus/TCP Security: HOST (port 802) or HOST:PORT, the certificate files, the default role. */
const tlsEndpoint = z.strictObject({
  tls: z.union([z.string().min(1), z.number().int().min(0).max(65_535).transform((port) => String(port))]),
  /** The server's certificate chain (PEM), relative to the config file. */
  cert: z.string().min(1),
  /** The server's private key (PEM). */
  key: z.string().min(1),
  /** The CA certificate that signs client certificates (PEM). */
  ca: z.string().min(1),
  /** Role of a client certificate without the role extension (default: none, every request refused). */
  defaultRole: z.string().min(1).optional(),
  gateway: z.boolean().optional(),
  ...unitsFields,
});

/** One schema per endpoint kind; the loader picks it by the key present (tcp, rtu, rtuOverTcp, tls). */
export const endpointSchemas = { tcp: tcpEndpoint, rtu: rtuEndpoint, rtuOverTcp: rtuOverTcpEndpoint, tls: tlsEndpoint } as const;

const registerRange = z.strictObject({
  profile: z.string().min(1).optional(),
  space: z.enum(['holding', 'coil']),
  first: z.number().int().min(0).max(65_535),
  last: z.number().int().min(0).max(65_535),
});

/** One role of the Modbus/TCP Security role table (docs/security.md). */
const roleSchema = z.strictObject({
  /** Function codes served at all (reads 1 2 3 4 43; writes 5 6 15 16 22 23). */
  functions: z.array(z.number().int().min(1).max(127)),
  /** What writes may touch: settings, commands, any, or a command by name. */
  writes: z.array(z.enum(WRITE_RIGHTS)).optional(),
  /** Register ranges writable besides `writes`. */
  ranges: z.array(registerRange).optional(),
});

export const panelConfigSchema = z.strictObject({
  /** Simulated time: this many times faster than real time. */
  speed: z.number().positive().max(1_000_000).optional(),
  /** Meter time at start, ISO 8601 (simulated runs); default now. */
  startTime: z.iso.datetime({ offset: true }).optional(),
  /** Persistence directory (each meter in its own sub-directory); relative to the config file. */
  state: z.string().min(1).optional(),
  defaults: meterDefaultsSchema.optional(),
  mqtt: panelMqttSchema.optional(),
  meters: z.record(meterName, meterEntrySchema.nullable()),
  /** Modbus/TCP Security roles, added to (or replacing) the built-in reader, operator and admin. */
  roles: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a role name is letters, digits, "_", "-" or "."'), roleSchema).optional(),
  /** Checked one by one with endpointSchemas (clearer errors than a union). */
  endpoints: z.array(z.unknown()).min(1, 'a panel needs at least one endpoint'),
});

export type PanelConfigFile = z.infer<typeof panelConfigSchema>;
export type EndpointEntry = z.infer<(typeof endpointSchemas)[keyof typeof endpointSchemas]>;
export type MeterEntry = z.infer<typeof meterEntrySchema>;
