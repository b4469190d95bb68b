import { describe, expect, it } from 'vitest';
import { TELEMETRY_QUANTITIES, telemetryPayload } from '../../../src/mqtt/telemetry-payload.js';

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
});
