import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/meter/meter.js';
import { balancedLoad, PhasorSource, SettableSource, type PhasorLoad } from '../../support/phasor-measurement.js';

const START_MS = Date.UTC(2026, 0, 1);
const DAY_S = 86_400;
const YEAR_S = 365 * DAY_S;

describe('energy registers', () => {
  it('integrate a year of a varying load to within 0.01 % of the analytic integral', () => {
    // P(t) = P0 (1 + A sin(wd t)) (1 + B cos(wy t)) per phase, at a constant angle of 25 deg.
    const u = 230;
    const i0 = 20;
    const phi = (25 * Math.PI) / 180;
    const A = 0.5;
    const B = 0.3;
    const wd = (2 * Math.PI) / DAY_S;
    const wy = (2 * Math.PI) / YEAR_S;
    const t0 = START_MS / 1000;
    const scale = (t: number): number => (1 + A * Math.sin(wd * (t - t0) + 0.3)) * (1 + B * Math.cos(wy * (t - t0)));
    const source = new PhasorSource((t) => balancedLoad(u, i0 * scale(t), phi));
    const meter = new Meter({ source });
    const stepS = 60;
    meter.tick(START_MS);
    let previous = 0;
    let monotonic = true;
    for (let k = 1; k <= YEAR_S / stepS; k += 1) {
      meter.tick(START_MS + k * stepS * 1000);
      if (k % 1000 === 0) {
        const now = meter.activeImportWh();
        if (now < previous) monotonic = false;
        previous = now;
      }
    }
    // Analytic integral of scale(t) over [t0, t0 + YEAR], expanded into sines and cosines.
    const c = 0.3;
    const T = YEAR_S;
    const intSin = (w: number, phase: number): number => (-Math.cos(w * T + phase) + Math.cos(phase)) / w;
    const intCos = (w: number): number => Math.sin(w * T) / w;
    const integral =
      T +
      A * intSin(wd, c) +
      B * intCos(wy) +
      (A * B) / 2 * (intSin(wd + wy, c) + intSin(wd - wy, c));
    const p0 = 3 * u * i0 * Math.cos(phi);
    const q0 = 3 * u * i0 * Math.sin(phi);
    const expectedWh = (p0 * integral) / 3600;
    const snapshot = meter.snapshot();
    expect(monotonic).toBe(true);
    expect(Math.abs(snapshot.energy.total.activeImportWh / expectedWh - 1)).toBeLessThan(1e-4);
    expect(Math.abs(snapshot.energy.total.reactiveQ1varh / ((q0 * integral) / 3600) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(snapshot.energy.total.apparentVAh / ((3 * u * i0 * integral) / 3600) - 1)).toBeLessThan(1e-4);
    expect(snapshot.energy.total.activeExportWh).toBe(0);
    expect(snapshot.energy.total.reactiveQ4varh).toBe(0);
    // Phases sum to the total for a balanced import load.
    const phaseSum = snapshot.energy.phases.reduce((s, p) => s + p.activeImportWh, 0);
    expect(phaseSum / snapshot.energy.total.activeImportWh).toBeCloseTo(1, 12);
    // CO2 = kWh * 0.72.
    expect(snapshot.co2Kg / ((snapshot.energy.total.activeImportWh / 1000) * 0.72)).toBeCloseTo(1, 10);
  });

  it('credits the quadrant given by the signs of P and Q, per phase and total', () => {
    const deg = Math.PI / 180;
    // L1 QI (import inductive), L2 QIV (import capacitive), L3 QII (export, Q > 0).
    const load: PhasorLoad = { voltage: [230, 230, 230], current: [10, 10, 10], phi: [30 * deg, -30 * deg, 150 * deg] };
    const meter = new Meter({ source: new SettableSource(load) });
    meter.tick(START_MS);
    meter.tick(START_MS + 3_600_000);
    const s = meter.snapshot();
    const pq = (phi: number): [number, number] => [2300 * Math.cos(phi), 2300 * Math.sin(phi)];
    const [p1, q1] = pq(30 * deg);
    const [, q2] = pq(-30 * deg);
    const [p3, q3] = pq(150 * deg);
    expect(s.energy.phases[0].activeImportWh).toBeCloseTo(p1, 9);
    expect(s.energy.phases[0].reactiveQ1varh).toBeCloseTo(q1, 9);
    expect(s.energy.phases[1].reactiveQ4varh).toBeCloseTo(-q2, 9);
    expect(s.energy.phases[2].activeExportWh).toBeCloseTo(-p3, 9);
    expect(s.energy.phases[2].reactiveQ2varh).toBeCloseTo(q3, 9);
    expect(s.energy.phases[2].activeNetWh).toBeCloseTo(p3, 9);
    // The total is integrated from the summed power: P = p1 + p2 + p3 > 0, Q = q1 + q2 + q3 > 0 -> QI.
    const pTotal = p1 * 2 + p3;
    expect(s.energy.total.activeImportWh).toBeCloseTo(pTotal, 9);
    expect(s.energy.total.activeExportWh).toBe(0);
    expect(s.energy.total.reactiveQ1varh).toBeCloseTo(q1 + q2 + q3, 9);
    expect(s.energy.total.apparentVAh).toBeCloseTo(3 * 2300, 9);
  });

  it('scales by CT and PT ratios and counts export into QIII', () => {
    const source = new SettableSource(balancedLoad(63.5, 2, Math.PI + 0.2));
    const meter = new Meter({ source, configuration: { ctRatio: 200, ptRatio: 100, nominalVoltage: 63.5, nominalCurrent: 5, maxCurrent: 10 } });
    meter.tick(START_MS);
    meter.tick(START_MS + 900_000);
    const s = meter.snapshot();
    const primaryS = 63.5 * 100 * 2 * 200;
    expect(s.measurement.phases[0].voltageRms).toBeCloseTo(6350, 9);
    expect(s.measurement.phases[0].currentRms).toBeCloseTo(400, 9);
    expect(s.energy.total.activeExportWh).toBeCloseTo(3 * primaryS * -Math.cos(Math.PI + 0.2) * 0.25, 6);
    expect(s.energy.total.reactiveQ3varh).toBeCloseTo(3 * primaryS * -Math.sin(Math.PI + 0.2) * 0.25, 6);
    expect(s.energy.total.activeImportWh).toBe(0);
    expect(s.co2Kg).toBe(0);
  });

  it('counts nothing when the clock goes backwards, and logs it', () => {
    const meter = new Meter({ source: new SettableSource(balancedLoad(230, 10, 0)) });
    meter.tick(START_MS);
    meter.tick(START_MS + 3_600_000);
    const before = meter.activeImportWh();
    meter.tick(START_MS + 1_800_000);
    expect(meter.activeImportWh()).toBe(before);
    expect(meter.eventRecord(0)?.kind).toBe('clock-adjusted');
    meter.tick(START_MS + 2_400_000);
    expect(meter.activeImportWh()).toBeCloseTo(before + 6900 / 6, 9);
  });
});

describe('bad input', () => {
  it('refuses a window with a non-finite value, naming source, time and field, and changes nothing', () => {
    const source = new SettableSource(balancedLoad(230, 10, 0));
    const meter = new Meter({ source });
    meter.tick(START_MS);
    meter.tick(START_MS + 3_600_000);
    const before = meter.snapshot();
    source.load = { ...balancedLoad(230, 10, 0), current: [10, Number.NaN, 10] };
    expect(() => meter.tick(START_MS + 7_200_000)).toThrow(
      `measurement from test:settable at t=${(START_MS + 7_200_000) / 1000} s: phases[1].currentRms is NaN, not a usable number`,
    );
    expect(meter.snapshot().energy).toEqual(before.energy);
    expect(meter.timeMs).toBe(START_MS + 3_600_000);
  });
});
