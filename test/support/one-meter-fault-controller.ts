/**
 * The fault-injection fixture the faults integration tests share: one meter `m1` (sdm630 on a
 * drift-free balanced-resistive synthetic source, unit 1) on one MBAP endpoint, a manual clock at
 * `t0Ms`, the communication-fault policy, and a FaultController over them that ticks only when
 * told (tickMs 0).
 */
import { FaultController } from '../../src/control/fault-controller.js';
import { meterTamperInjector, syntheticPhysicalTarget } from '../../src/control/synthetic-physical-target.js';
import { ManualClock } from '../../src/meter/clock.js';
import { Meter } from '../../src/meter/meter.js';
import { CommFaultPolicy } from '../../src/modbus/faults/comm-fault-policy.js';
import { phasorMeasurementSource } from '../../src/metrology/phasor/phasor-measurement-source.js';
import { SyntheticSource } from '../../src/waveform/synthetic/synthetic-source.js';

export interface OneMeterFaultFixture {
  clock: ManualClock;
  source: SyntheticSource;
  meter: Meter;
  policy: CommFaultPolicy;
  controller: FaultController;
}

export function oneMeterFaultController(t0Ms: number, endpoint: string): OneMeterFaultFixture {
  const clock = new ManualClock(t0Ms);
  const source = SyntheticSource.fromScenario('balanced-resistive', { originTimeS: t0Ms / 1000, drift: false });
  const meter = new Meter({ source: phasorMeasurementSource(source) });
  const policy = new CommFaultPolicy({ now: () => clock.nowMs() });
  const controller = new FaultController(
    {
      clock,
      commFaults: policy,
      endpoints: [{ name: endpoint, framing: 'mbap' }],
      meters: [
        {
          id: 'm1',
          description: 'sdm630 on synthetic:balanced-resistive',
          commands: meter,
          faultScopes: [{ endpoint, unitId: 1 }],
          physical: syntheticPhysicalTarget(source, meterTamperInjector(meter)),
        },
      ],
    },
    { tickMs: 0 },
  );
  return { clock, source, meter, policy, controller };
}
