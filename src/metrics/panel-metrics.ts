/**
 * The Prometheus metrics of a running panel (docs/metrics.md): per endpoint what its transport
 * counted (requests by function code, exceptions by code, connections, bytes, handling time,
 * injected comm faults), per meter the live V, I, P, PF, f and its energy registers as counters
 * in base units (joules), and fleet totals. Values are read when scraped, from the endpoints'
 * counters and the meters' latest snapshots: nothing is done per request or per tick.
 *
 * Label cardinality is bounded: per-meter series exist for the first `perMeterLimit` meters
 * (default 100; 0 = none) and the fleet totals cover every meter, so a 10,000-meter fleet gives a
 * few hundred series per 100 meters, not 200,000.
 */
import { Registry } from 'prom-client';
import { REQUEST_DURATION_BUCKETS_S } from '../modbus/endpoint-counters.js';
import type { MeterSnapshot } from '../meter/snapshot.js';
import { endpointNames } from '../runtime/control-registry.js';
import type { Panel } from '../runtime/panel.js';
import { CollectedCounter, CollectedGauge, CollectedHistogram, type HistogramState, type Sample } from './collected-metric.js';
import { MeterSeriesText, type MeterSeries } from './meter-series-text.js';

export const DEFAULT_PER_METER_LIMIT = 100;

/** Joules in one watt-hour: energy counters are in the base unit of Prometheus' conventions. */
const JOULES_PER_WH = 3600;

export interface PanelMetricsOptions {
  /** Meters that get per-meter series (the first ones of the panel). Default 100; 0: fleet totals only. */
  readonly perMeterLimit?: number | undefined;
}

const PHASES = { label: 'phase', values: ['1', '2', '3'] } as const;
const QUADRANTS = { label: 'quadrant', values: ['1', '2', '3', '4'] } as const;

/** The per-meter series (the first `perMeterLimit` meters), in base units. */
const METER_SERIES: readonly MeterSeries[] = [
  { name: 'submeter_meter_voltage_volts', help: 'Phase-to-neutral RMS voltage', type: 'gauge', split: PHASES, value: (s, p) => s.measurement.phases[p]?.voltageRms ?? 0 },
  { name: 'submeter_meter_current_amperes', help: 'Phase RMS current', type: 'gauge', split: PHASES, value: (s, p) => s.measurement.phases[p]?.currentRms ?? 0 },
  { name: 'submeter_meter_active_power_watts', help: 'Phase active power (import positive)', type: 'gauge', split: PHASES, value: (s, p) => s.measurement.phases[p]?.activePower ?? 0 },
  { name: 'submeter_meter_power_factor', help: 'Phase power factor P/S (signed with P)', type: 'gauge', split: PHASES, value: (s, p) => s.measurement.phases[p]?.powerFactor ?? 0 },
  { name: 'submeter_meter_frequency_hertz', help: 'Frequency', type: 'gauge', value: (s) => s.measurement.frequencyHz },
  { name: 'submeter_meter_relay_closed', help: 'Load relay closed (1) or open (0)', type: 'gauge', value: (s) => (s.relayClosed ? 1 : 0) },
  { name: 'submeter_meter_active_energy_import_joules_total', help: 'Imported active energy register (Wh x 3600)', type: 'counter', value: (s) => s.energy.total.activeImportWh * JOULES_PER_WH },
  { name: 'submeter_meter_active_energy_export_joules_total', help: 'Exported active energy register (Wh x 3600)', type: 'counter', value: (s) => s.energy.total.activeExportWh * JOULES_PER_WH },
  {
    name: 'submeter_meter_reactive_energy_var_seconds_total',
    help: 'Reactive energy register by quadrant (varh x 3600)',
    type: 'counter',
    split: QUADRANTS,
    value: (s, q) => {
      const e = s.energy.total;
      return (q === 0 ? e.reactiveQ1varh : q === 1 ? e.reactiveQ2varh : q === 2 ? e.reactiveQ3varh : e.reactiveQ4varh) * JOULES_PER_WH;
    },
  },
  { name: 'submeter_meter_apparent_energy_volt_ampere_seconds_total', help: 'Apparent energy register (VAh x 3600)', type: 'counter', value: (s) => s.energy.total.apparentVAh * JOULES_PER_WH },
];

/** The registry, and one scrape: every meter's snapshot read once, the text exposition format. */
export interface PanelMetrics {
  readonly registry: Registry;
  readonly contentType: string;
  render(): Promise<string>;
}

export function panelMetrics(panel: Panel, options: PanelMetricsOptions = {}): PanelMetrics {
  const limit = Math.max(0, Math.floor(options.perMeterLimit ?? DEFAULT_PER_METER_LIMIT));
  const registry = new Registry();
  const names = endpointNames(panel.spec.endpoints);
  const endpoints = panel.endpoints.map((e, i) => ({ name: names[i] ?? `endpoint-${i}`, counters: e.open.counters }));
  const counted = endpoints.flatMap((e) => (e.counters === undefined ? [] : [{ name: e.name, counters: e.counters }]));
  const meters = panel.meters.filter((m) => m.commands !== undefined);

  // One snapshot per meter per scrape, shared by every metric of that scrape.
  let scrape: { snapshots: (MeterSnapshot | undefined)[] } | undefined;
  const snapshots = (): (MeterSnapshot | undefined)[] => {
    scrape ??= { snapshots: meters.map((m) => m.commands?.snapshot()) };
    return scrape.snapshots;
  };
  const perEndpoint = (value: (c: (typeof counted)[number]['counters']) => number) => (): Sample[] => counted.map((e) => ({ labels: { endpoint: e.name }, value: value(e.counters) }));
  const byCode = (label: string, array: (c: (typeof counted)[number]['counters']) => Float64Array) => (): Sample[] => {
    const out: Sample[] = [];
    for (const e of counted) {
      const values = array(e.counters);
      for (let code = 0; code < values.length; code++) if ((values[code] ?? 0) > 0) out.push({ labels: { endpoint: e.name, [label]: code }, value: values[code] ?? 0 });
    }
    return out;
  };

  const metrics = [
    // endpoints
    new CollectedCounter({ name: 'submeter_modbus_requests_total', help: 'Modbus requests served, by endpoint and function code', read: byCode('function_code', (c) => c.requestsByFunction) }),
    new CollectedCounter({ name: 'submeter_modbus_exceptions_total', help: 'Modbus exception answers, by endpoint and exception code', read: byCode('exception_code', (c) => c.exceptionsByCode) }),
    new CollectedGauge({ name: 'submeter_modbus_connections', help: 'Open client connections (TCP and RTU over TCP)', read: perEndpoint((c) => c.connectionsOpen) }),
    new CollectedCounter({ name: 'submeter_modbus_connections_accepted_total', help: 'Client connections accepted', read: perEndpoint((c) => c.connectionsAccepted) }),
    new CollectedCounter({ name: 'submeter_modbus_connections_refused_total', help: 'Client connections refused at the connection limit', read: perEndpoint((c) => c.connectionsRefused) }),
    new CollectedCounter({ name: 'submeter_modbus_received_bytes_total', help: 'Bytes received from clients', read: perEndpoint((c) => c.bytesReceived) }),
    new CollectedCounter({ name: 'submeter_modbus_sent_bytes_total', help: 'Bytes sent to clients', read: perEndpoint((c) => c.bytesSent) }),
    new CollectedCounter({ name: 'submeter_modbus_comm_faults_injected_total', help: 'Requests a communication fault fired on', read: perEndpoint((c) => c.faultsInjected) }),
    new CollectedHistogram({
      name: 'submeter_modbus_request_duration_seconds',
      help: 'Time to handle a request in the server, from a complete frame to its framed answer (no network, no response delay)',
      buckets: REQUEST_DURATION_BUCKETS_S,
      read: (): HistogramState[] => counted.map((e) => ({ labels: { endpoint: e.name }, bucketCounts: e.counters.durationBuckets, sum: e.counters.durationSumS })),
    }),
    new CollectedGauge({ name: 'submeter_comm_faults_active', help: 'Communication faults active now', read: () => [{ labels: {}, value: panel.control?.policy.activeCount ?? 0 }] }),
    // fleet
    new CollectedGauge({ name: 'submeter_meters', help: 'Meters in the panel', read: () => [{ labels: {}, value: panel.meters.length }] }),
    new CollectedGauge({ name: 'submeter_meters_with_series', help: 'Meters that have per-meter series (the per-meter limit bounds label cardinality)', read: () => [{ labels: {}, value: Math.min(limit, meters.length) }] }),
    new CollectedGauge({
      name: 'submeter_fleet_active_power_watts',
      help: 'Active power of all meters together (import positive)',
      read: () => [{ labels: {}, value: snapshots().reduce((sum, s) => sum + (s?.measurement.total.activePower ?? 0), 0) }],
    }),
    new CollectedCounter({
      name: 'submeter_fleet_active_energy_import_joules_total',
      help: 'Imported active energy of all meters together',
      read: () => [{ labels: {}, value: snapshots().reduce((sum, s) => sum + (s?.energy.total.activeImportWh ?? 0), 0) * JOULES_PER_WH }],
    }),
  ];
  for (const metric of metrics) registry.registerMetric(metric);
  const meterText = new MeterSeriesText(METER_SERIES, meters.slice(0, limit).map((m) => m.spec.name));
  return {
    registry,
    contentType: registry.contentType,
    async render() {
      scrape = undefined;
      try {
        const common = await registry.metrics();
        return `${common}\n${meterText.render(snapshots())}`;
      } finally {
        scrape = undefined;
      }
    },
  };
}
