import { describe, expect, it } from 'vitest';
import { MonotonicEnergy } from '../../../src/mqtt/monotonic-energy.js';
import { MONOTONIC_KEYS, TELEMETRY_QUANTITIES } from '../../../src/mqtt/telemetry-payload.js';

describe('MonotonicEnergy', () => {
  it('carries a register that fell (a reset) on from its last published value, once per fall', () => {
    const energy = new MonotonicEnergy(['e'], [1]);
    const publish = (e: number): { value: number; falls: number } => {
      const values = Float64Array.of(-5, e);
      const falls = energy.apply(values);
      expect(values[0]).toBe(-5);
      return { value: values[1] ?? Number.NaN, falls: falls.length };
    };
    expect(publish(100)).toEqual({ value: 100, falls: 0 });
    expect(publish(150)).toEqual({ value: 150, falls: 0 });
    expect(publish(0)).toEqual({ value: 150, falls: 1 });
    expect(publish(20)).toEqual({ value: 170, falls: 0 });
    expect(energy.offset('e')).toBe(150);
    expect(publish(5)).toEqual({ value: 170, falls: 1 });
    expect(publish(6)).toEqual({ value: 171, falls: 0 });
  });

  it('guards the energy registers of telemetry, not net energy or power', () => {
    expect(MONOTONIC_KEYS).toContain('energy.total.activeImportWh');
    expect(MONOTONIC_KEYS).toContain('tariff.8.activeExportWh');
    expect(MONOTONIC_KEYS).not.toContain('energy.total.activeNetWh');
    expect(MONOTONIC_KEYS.every((k) => TELEMETRY_QUANTITIES.some((q) => q.name === k && (q.unit === 'Wh' || q.unit === 'varh' || q.unit === 'VAh')))).toBe(true);
  });
});
