/**
 * Profile `demo`: the modbus layer's demonstration device (recognisable constant registers), for
 * trying the transports without a meter. Every other profile goes to the meter factory.
 */
import { buildDemoDevice } from './demo-device.js';
import type { MeterFactory, PanelMeter } from '../panel-meter.js';

export const DEMO_PROFILE = 'demo';

export function withDemoProfile(next: MeterFactory): MeterFactory {
  return (spec, context) => {
    if (spec.profile !== DEMO_PROFILE) return next(spec, context);
    const meter: PanelMeter = {
      spec,
      device: buildDemoDevice(),
      sourceDescription: 'constant demonstration registers',
      probe: { table: 'input', address: 100, count: 3, type: 'float', bigEndian: true, description: '230 V, 5 A, 50 Hz' },
      tick: () => undefined,
      flush: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    return meter;
  };
}
