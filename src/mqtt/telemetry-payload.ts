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

/** The quantity values of one snapshot (SI), into `values` (one per TELEMETRY_QUANTITIES entry). */
export function readTelemetryValues(snapshot: MeterSnapshot, values: TelemetryValues): TelemetryValues {
  const context: ReadContext = { snapshot, eventIndex: 0, eventRecord: undefined, profileIndex: 0, profileRecord: undefined, unlocked: false };
  for (let i = 0; i < TELEMETRY_QUANTITIES.length; i += 1) values[i] = TELEMETRY_QUANTITIES[i]?.get(context) ?? Number.NaN;
  return values;
}

/** The quantity values of one snapshot (SI), in a new array. */
export function telemetryValues(snapshot: MeterSnapshot): TelemetryValues {
  return readTelemetryValues(snapshot, new Float64Array(TELEMETRY_QUANTITIES.length));
}

for (const q of TELEMETRY_QUANTITIES) {
  // The payload's text is built by JSON.stringify of [key, value, ...] and its separators rewritten
  // byte by byte (telemetryObjectInPlace): a key must be plain ASCII, with no comma or escape.
  if (!/^[A-Za-z0-9._]+$/.test(q.name)) throw new Error(`telemetry key "${q.name}" must be letters, digits, "." and "_"`);
}

const CODE_COLON = 0x3a;
const CODE_BRACE_OPEN = 0x7b;
const CODE_BRACE_CLOSE = 0x7d;

/**
 * The message text, time first, then the values (non-finite as null, which JSON allows), made
 * cheaply: one JSON.stringify of a reused array ["time", iso, "timeMs", ms, key, value, ...]
 * (numbers written as String() writes them, straight into the result: no string per value, and
 * none left in V8's number-string cache to survive a scavenge), whose bytes
 * telemetryObjectInPlace then turns into the object `{"time":iso,"timeMs":ms,"key":value,...}`
 * (every other comma a colon, the brackets braces). The text is ASCII: one byte per character.
 */
export class TelemetryText {
  private readonly pairs: (string | number)[] = ['time', '', 'timeMs', 0];

  constructor() {
    for (const q of TELEMETRY_QUANTITIES) this.pairs.push(q.name, 0);
  }

  /** The JSON array text of one message; telemetryObjectInPlace makes its bytes the object. */
  arrayText(timeMs: number, values: TelemetryValues): string {
    const pairs = this.pairs;
    pairs[1] = new Date(timeMs).toISOString();
    pairs[3] = timeMs;
    for (let i = 0; i < TELEMETRY_QUANTITIES.length; i += 1) pairs[5 + 2 * i] = values[i] ?? Number.NaN;
    return JSON.stringify(pairs);
  }
}

/**
 * Rewrites the bytes of `text` (an array text from TelemetryText, already written as is at
 * `start`) into the object text: `[` -> `{`, `]` -> `}`, and the comma after each key -> `:`.
 * Neither keys, the ISO time nor numbers contain a comma, so commas alternate: after a key, after
 * a value. The commas are found in the string (indexOf), one byte per character.
 */
export function telemetryObjectInPlace(bytes: Uint8Array, start: number, text: string): void {
  bytes[start] = CODE_BRACE_OPEN;
  bytes[start + text.length - 1] = CODE_BRACE_CLOSE;
  let afterKey = true;
  for (let i = text.indexOf(',', 1); i >= 0; i = text.indexOf(',', i + 1)) {
    if (afterKey) bytes[start + i] = CODE_COLON;
    afterKey = !afterKey;
  }
}

const shared = new TelemetryText();

/** The message text as one string (QoS 1 and 2 go through the client with it; tests read it). */
export function telemetryPayload(timeMs: number, values: TelemetryValues): string {
  const text = shared.arrayText(timeMs, values);
  const bytes = Buffer.from(text, 'latin1');
  telemetryObjectInPlace(bytes, 0, text);
  return bytes.toString('latin1');
}
