/**
 * The telemetry message: one JSON object per interval, keyed by the quantity catalogue's names
 * (the names register maps use: `voltage.l1`, `power.active.total`, `energy.total.activeImportWh`),
 * values in SI units exactly as the catalogue defines them (V, A, W, var, VA, Wh, varh, VAh, Hz,
 * ratios, kg), plus `time` (ISO 8601) and `timeMs` from the meter clock.
 *
 * Which quantities: the live measurements, energies (total and per tariff), demand, CO2, relay
 * and event count. Harmonic spectra, per-phase energies, record windows and identity stay on
 * Modbus (identity is in the discovery config).
 */
import { QUANTITIES, type NumericQuantity } from '../registers/quantity-catalogue.js';
import type { ReadContext } from '../registers/read-context.js';
import type { MeterSnapshot } from '../meter/snapshot.js';

const INCLUDED = [
  /^voltage\./,
  /^current\./,
  /^power\./,
  /^powerFactor\./,
  /^displacementPowerFactor\./,
  /^thd\./,
  /^frequency$/,
  /^unbalance\./,
  /^phaseSequence$/,
  /^energy\.total\./,
  /^tariff\.active$/,
  /^tariff\.\d\.active(Import|Export)Wh$/,
  /^co2Kg$/,
  /^demand\.[A-Za-z.0-9]+\.(present|last|max)$/,
  /^relay\.closed$/,
  /^event\.count$/,
  /^billing\.periodCount$/,
];

/** The numeric quantities telemetry carries, in catalogue order. */
export const TELEMETRY_QUANTITIES: readonly NumericQuantity[] = [...QUANTITIES.values()].filter(
  (q): q is NumericQuantity => q.kind === 'number' && INCLUDED.some((pattern) => pattern.test(q.name)),
);

/** Keys whose values only grow (energy registers): telemetry never lets them go down. */
export const MONOTONIC_KEYS: readonly string[] = TELEMETRY_QUANTITIES.map((q) => q.name).filter(
  (name) => (/^energy\.total\./.test(name) && name !== 'energy.total.activeNetWh') || /^tariff\.\d\.active(Import|Export)Wh$/.test(name),
);

/** Positions of MONOTONIC_KEYS in the telemetry values. */
export const MONOTONIC_INDICES: readonly number[] = MONOTONIC_KEYS.map((key) => TELEMETRY_QUANTITIES.findIndex((q) => q.name === key));

/** One value per TELEMETRY_QUANTITIES entry, in that order (SI). */
export type TelemetryValues = Float64Array;

/** The quantity values of one snapshot (SI). */
export function telemetryValues(snapshot: MeterSnapshot): TelemetryValues {
  const context: ReadContext = { snapshot, eventIndex: 0, eventRecord: undefined, profileIndex: 0, profileRecord: undefined, unlocked: false };
  const values = new Float64Array(TELEMETRY_QUANTITIES.length);
  for (let i = 0; i < TELEMETRY_QUANTITIES.length; i += 1) values[i] = TELEMETRY_QUANTITIES[i]?.get(context) ?? Number.NaN;
  return values;
}

/** `,"voltage.l1":` ... precomputed: the message is built as a string (ten times faster than JSON.stringify of an object with 100 dotted keys). */
const KEY_PREFIXES: readonly string[] = TELEMETRY_QUANTITIES.map((q) => `,${JSON.stringify(q.name)}:`);

/** The message text: time first, then the values (non-finite values as null, which JSON allows). */
export function telemetryPayload(timeMs: number, values: TelemetryValues): string {
  let text = `{"time":"${new Date(timeMs).toISOString()}","timeMs":${timeMs}`;
  for (let i = 0; i < values.length; i += 1) {
    const value = values[i] ?? Number.NaN;
    text += (KEY_PREFIXES[i] ?? ',"?":') + (Number.isFinite(value) ? String(value) : 'null');
  }
  return text + '}';
}
