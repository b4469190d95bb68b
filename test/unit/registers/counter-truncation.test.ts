/**
 * Integer energy registers show the steps a real meter's register has completed: 0.974 kWh in a
 * 0.1 kWh register reads 0.9, not 1.0 (truncated toward zero); instantaneous values still round.
 */
import { describe, expect, it } from 'vitest';
import { RegisterMapDevice } from '../../../src/registers/register-map-device.js';
import { loadRegisterMap } from '../../../src/registers/profiles.js';
import { completedSteps } from '../../../src/registers/value-codec.js';
import { FakeMeter, makeSnapshot } from '../../support/fake-meter.js';

function readInt32Cdab(device: RegisterMapDevice, address: number): number {
  const out = new Uint8Array(4);
  device.readInputRegisters(address, 2, out, 0);
  const view = new DataView(out.buffer);
  return (view.getUint16(2) << 16) | view.getUint16(0);
}

describe('integer counters show completed steps', () => {
  it('EM24 kWh(+) TOT: 974 Wh reads 9 (0.9 kWh), 999.99 Wh reads 9, 1000 Wh reads 10', () => {
    for (const [wh, expected] of [[974, 9], [999.99, 9], [1000, 10], [1099.9999999999, 11], [0.4, 0]] as const) {
      const snapshot = makeSnapshot();
      snapshot.energy.total = { ...snapshot.energy.total, activeImportWh: wh };
      const device = new RegisterMapDevice(loadRegisterMap('em24'), new FakeMeter(snapshot));
      expect(readInt32Cdab(device, 0x003e), `${wh} Wh`).toBe(expected);
    }
  });

  it('instantaneous values still round to the nearest step (EM24 W sys 1234.56 W reads 12346)', () => {
    const snapshot = makeSnapshot();
    snapshot.measurement = { ...snapshot.measurement, total: { ...snapshot.measurement.total, activePower: 1234.56 } };
    const device = new RegisterMapDevice(loadRegisterMap('em24'), new FakeMeter(snapshot));
    expect(readInt32Cdab(device, 0x0028)).toBe(12346);
  });

  it('completedSteps truncates toward zero but counts a binary hair below a step as reached', () => {
    expect(completedSteps(9.74)).toBe(9);
    expect(completedSteps(-9.74)).toBe(-9);
    expect(completedSteps(8.999999999999998)).toBe(9);
    expect(completedSteps(8.9999)).toBe(8);
  });
});
