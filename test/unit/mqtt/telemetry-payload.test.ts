import { describe, expect, it } from 'vitest';
import { TELEMETRY_QUANTITIES, telemetryObjectInPlace, telemetryPayload, TelemetryText } from '../../../src/mqtt/telemetry-payload.js';

/** The text as it was first made, by concatenation with String(value): the bytes must not change. */
function concatenated(timeMs: number, values: Float64Array): string {
  let text = `{"time":"${new Date(timeMs).toISOString()}","timeMs":${timeMs}`;
  TELEMETRY_QUANTITIES.forEach((q, i) => {
    const value = values[i] ?? Number.NaN;
    text += `,${JSON.stringify(q.name)}:${Number.isFinite(value) ? String(value) : 'null'}`;
  });
  return text + '}';
}

describe('telemetryPayload', () => {
  it('is JSON keyed by the catalogue names, values exactly as given (SI), time from the meter clock, null for non-finite', () => {
    const values = new Float64Array(TELEMETRY_QUANTITIES.length).map((_, i) => i * 1.1 + 0.123456789);
    const voltage = TELEMETRY_QUANTITIES.findIndex((q) => q.name === 'voltage.l2');
    const frequency = TELEMETRY_QUANTITIES.findIndex((q) => q.name === 'frequency');
    values[voltage] = 229.87654321012345;
    values[frequency] = Number.NaN;
    const parsed = JSON.parse(telemetryPayload(Date.parse('2026-03-01T07:00:00.250Z'), values)) as Record<string, unknown>;
    expect(parsed.time).toBe('2026-03-01T07:00:00.250Z');
    expect(parsed.timeMs).toBe(Date.parse('2026-03-01T07:00:00.250Z'));
    expect(parsed['voltage.l2']).toBe(229.87654321012345);
    expect(parsed.frequency).toBeNull();
    expect(Object.keys(parsed)).toEqual(['time', 'timeMs', ...TELEMETRY_QUANTITIES.map((q) => q.name)]);
  });

  it('carries the live quantities, energies per tariff and demand, not harmonics or record windows', () => {
    const names = TELEMETRY_QUANTITIES.map((q) => q.name);
    for (const name of ['voltage.l1', 'current.neutral', 'power.reactive.total', 'powerFactor.l3', 'thd.current.average', 'frequency', 'energy.total.activeExportWh', 'tariff.2.activeImportWh', 'demand.activeImport.max', 'relay.closed']) {
      expect(names).toContain(name);
    }
    expect(names.some((n) => n.startsWith('harmonics.') || n.startsWith('eventRecord.') || n.startsWith('identity.'))).toBe(false);
  });

  it('is byte for byte the text String() concatenation made: awkward numbers, non-finite values, twice with one builder', () => {
    const awkward = [0, -0, 1, -1, 0.1 + 0.2, 1e21, 1e-7, -1.5e-300, 5e-324, Number.MAX_VALUE, 123456789012345680000, 229.87654321012345, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 49.99999999999999, 2 ** 53 + 2];
    const values = new Float64Array(TELEMETRY_QUANTITIES.length).map((_, i) => awkward[i % awkward.length] ?? 0);
    const builder = new TelemetryText();
    for (const [timeMs, shift] of [[Date.parse('2026-03-01T07:00:00.250Z'), 0], [Date.parse('1999-12-31T23:59:59.999Z'), 3]] as const) {
      const shifted = values.map((_, i) => values[(i + shift) % values.length] ?? 0);
      const text = builder.arrayText(timeMs, shifted);
      const bytes = Buffer.from(`xx${text}`, 'latin1');
      telemetryObjectInPlace(bytes, 2, text);
      expect(bytes.subarray(2).toString('latin1')).toBe(concatenated(timeMs, shifted));
      expect(telemetryPayload(timeMs, shifted)).toBe(concatenated(timeMs, shifted));
    }
  });
});

