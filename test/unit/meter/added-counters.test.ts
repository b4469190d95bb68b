/**
 * The counters added for the compatibility maps (charge, load running time, reactive energy per
 * tariff; neutral-current and per-phase power demand): what they count, and that a state saved
 * before they existed still restores, with them at zero.
 */
import { describe, expect, it } from 'vitest';
import { DemandCalculator } from '../../../src/meter/demand.js';
import { EnergyAccumulator } from '../../../src/meter/energy-accumulator.js';
import { Meter } from '../../../src/meter/meter.js';
import { balancedLoad, phasorMeasurement, SettableSource } from '../../support/phasor-measurement.js';

const START = Date.UTC(2026, 0, 5, 8, 0); // Monday 08:00 UTC: the default calendar's day tariff

describe('charge, running time and reactive energy per tariff', () => {
  it('an hour at 10 A per phase, PF cos(0.3) inductive: 30 Ah, 3600 s, Q x 1 h in the tariff in force', () => {
    const source = new SettableSource(balancedLoad(230, 10, 0.3));
    const meter = new Meter({ source });
    for (let t = START; t <= START + 3_600_000; t += 10_000) meter.tick(t);
    const s = meter.snapshot();
    expect(s.energy.chargeAh).toBeCloseTo(30, 9);
    expect(s.energy.loadRunningS).toBeCloseTo(3600, 9);
    const q = s.measurement.total.reactivePower;
    expect(q).toBeGreaterThan(0);
    const tariff = s.energy.tariffs[s.activeTariff - 1];
    expect(tariff?.reactiveImportVarh).toBeCloseTo(q, 6);
    expect(tariff?.reactiveExportVarh).toBe(0);
    // the tariff's reactive import equals the total's (one tariff all hour)
    expect(tariff?.reactiveImportVarh).toBeCloseTo(s.energy.total.reactiveQ1varh + s.energy.total.reactiveQ2varh, 6);
  });

  it('no current, no running time', () => {
    const source = new SettableSource(balancedLoad(230, 0, 0));
    const meter = new Meter({ source });
    for (let t = START; t <= START + 600_000; t += 10_000) meter.tick(t);
    expect(meter.snapshot().energy.loadRunningS).toBe(0);
    expect(meter.snapshot().energy.chargeAh).toBe(0);
  });

  it('an energy state saved before the added counters restores, with them at zero', () => {
    const energy = new EnergyAccumulator();
    energy.integrate(phasorMeasurement(balancedLoad(230, 10, 0), 0), 3600, 1, 0.4);
    const state = energy.exportState();
    const oldLength = 4 * 7 + 8 * 3 + 1; // scopes x registers + tariffs x 3 + CO2
    const old = { ...state, whole: state.whole.slice(0, oldLength), fraction: state.fraction.slice(0, oldLength) };
    const restored = new EnergyAccumulator();
    restored.importState(old);
    expect(restored.registers(0).activeImportWh).toBeCloseTo(6900, 6);
    expect(restored.chargeAh()).toBe(0);
    expect(restored.tariff(1).reactiveImportVarh).toBe(0);
    expect(() => restored.importState({ ...state, whole: state.whole.slice(0, 5), fraction: state.fraction.slice(0, 5) })).toThrow(RangeError);
  });
});

describe('neutral-current and per-phase power demand', () => {
  it('a 15-minute block of unbalanced load: each phase its own power demand, the neutral its current', () => {
    const source = new SettableSource({ voltage: [230, 230, 230], current: [10, 20, 30], phi: [0, 0, 0], frequencyHz: 50 });
    const meter = new Meter({ source, configuration: { demandMethod: 'block', demandPeriodS: 900 } });
    for (let t = START; t <= START + 900_000; t += 10_000) meter.tick(t);
    const s = meter.snapshot();
    expect(s.demand.phaseActiveImport[0].max).toBeCloseTo(2300, 6);
    expect(s.demand.phaseActiveImport[2].max).toBeCloseTo(6900, 6);
    expect(s.demand.phaseActiveExport[1].max).toBe(0);
    expect(s.demand.neutralCurrent.max).toBeCloseTo(s.measurement.neutralCurrent, 6);
    expect(s.measurement.neutralCurrent).toBeGreaterThan(15);
  });

  it('a demand state saved with the first seven quantities restores; the later ones start at zero', () => {
    const demand = new DemandCalculator('block', 900, 900);
    demand.accumulate(phasorMeasurement(balancedLoad(230, 10, 0), 0), 900);
    demand.closeSubPeriod(START, 1);
    const state = demand.exportState();
    const seven = (values: number[]): number[] => values.slice(0, 7);
    const old = {
      ...state,
      closed: state.closed.map(seven),
      current: seven(state.current),
      last: seven(state.last),
      max: seven(state.max),
      maxTimeMs: seven(state.maxTimeMs),
      maxByTariff: state.maxByTariff.slice(0, 7 * 8),
      maxTimeByTariffMs: state.maxTimeByTariffMs.slice(0, 7 * 8),
    };
    const restored = new DemandCalculator('block', 900, 900);
    restored.importState(old);
    const registers = restored.registers();
    expect(registers.activeImport.max).toBeCloseTo(6900, 6);
    expect(registers.phaseCurrent[2].max).toBeCloseTo(10, 9);
    expect(registers.neutralCurrent.max).toBe(0);
    expect(registers.phaseActiveImport[0].max).toBe(0);
    expect(Number.isNaN(registers.phaseActiveImport[0].present)).toBe(false);
  });
});
