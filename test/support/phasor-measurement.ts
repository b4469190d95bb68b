/**
 * Test helper: a WindowMeasurement computed analytically from sinusoidal phasors (no samples),
 * the way a synthetic source's phasor path does. Each phase has an RMS voltage, an RMS current
 * and the angle by which the current lags its voltage (phi > 0 inductive, phi < 0 capacitive,
 * |phi| > 90 deg = export). Voltages sit at 0, -120, +120 deg (abc) or 0, +120, -120 deg (acb).
 */
import {
  HARMONIC_ORDERS,
  type PhaseMeasurement,
  type WindowMeasurement,
} from '../../src/metrology/measurement.js';
import type { MeasurementSource } from '../../src/metrology/measurement-source.js';

export interface PhasorLoad {
  voltage: [number, number, number];
  current: [number, number, number];
  /** Current lag behind voltage per phase (rad). */
  phi: [number, number, number];
  frequencyHz?: number;
  sequence?: 'abc' | 'acb';
}

const DEG120 = (2 * Math.PI) / 3;

function hypot(x: number, y: number): number {
  return Math.sqrt(x * x + y * y);
}

export function balancedLoad(voltage: number, current: number, phiRad: number, frequencyHz = 50): PhasorLoad {
  return { voltage: [voltage, voltage, voltage], current: [current, current, current], phi: [phiRad, phiRad, phiRad], frequencyHz };
}

/** |negative| / |positive| sequence of three phasors given as magnitudes and angles. */
function unbalanceOf(magnitudes: number[], angles: number[]): number {
  const a = DEG120;
  let posRe = 0;
  let posIm = 0;
  let negRe = 0;
  let negIm = 0;
  for (let k = 0; k < 3; k += 1) {
    const re = magnitudes[k] * Math.cos(angles[k]);
    const im = magnitudes[k] * Math.sin(angles[k]);
    // positive: rotate by +k*120, negative: by -k*120
    const cp = Math.cos(k * a);
    const sp = Math.sin(k * a);
    posRe += re * cp - im * sp;
    posIm += re * sp + im * cp;
    negRe += re * cp + im * sp;
    negIm += -re * sp + im * cp;
  }
  const pos = hypot(posRe, posIm);
  return pos > 0 ? hypot(negRe, negIm) / pos : 0;
}

/** Harmonic arrays a source may reuse from one window to the next (4 per phase). */
export type HarmonicBuffers = Float64Array[];

export function newHarmonicBuffers(): HarmonicBuffers {
  return Array.from({ length: 12 }, () => new Float64Array(HARMONIC_ORDERS + 1));
}

export function phasorMeasurement(load: PhasorLoad, startTimeS: number, buffers: HarmonicBuffers = newHarmonicBuffers()): WindowMeasurement {
  const f = load.frequencyHz ?? 50;
  const sequence = load.sequence ?? 'abc';
  const sign = sequence === 'abc' ? -1 : 1;
  const uAngles = [0, sign * DEG120, -sign * DEG120];
  const iAngles = uAngles.map((u, k) => u - load.phi[k]);
  const phases = [0, 1, 2].map((k): PhaseMeasurement => {
    const u = load.voltage[k];
    const i = load.current[k];
    const p = u * i * Math.cos(load.phi[k]);
    const q = u * i * Math.sin(load.phi[k]);
    const s = u * i;
    const [vh, ih, vph, iph] = buffers.slice(k * 4, k * 4 + 4);
    vh[1] = u;
    ih[1] = i;
    vph[1] = uAngles[k];
    iph[1] = iAngles[k];
    return {
      voltageRms: u,
      currentRms: i,
      activePower: p,
      reactivePower: q,
      apparentPower: s,
      powerFactor: s > 0 ? p / s : 1,
      displacementPowerFactor: s > 0 ? Math.cos(load.phi[k]) : 1,
      budeanuReactivePower: q,
      nonActivePower: Math.abs(q),
      voltageThd: 0,
      currentThd: 0,
      voltageHarmonics: vh,
      voltageHarmonicPhases: vph,
      currentHarmonics: ih,
      currentHarmonicPhases: iph,
    };
  }) as [PhaseMeasurement, PhaseMeasurement, PhaseMeasurement];
  const p = phases.reduce((sum, ph) => sum + ph.activePower, 0);
  const q = phases.reduce((sum, ph) => sum + ph.reactivePower, 0);
  const s = phases.reduce((sum, ph) => sum + ph.apparentPower, 0);
  const lineVoltage = (a: number, b: number): number =>
    hypot(
      load.voltage[a] * Math.cos(uAngles[a]) - load.voltage[b] * Math.cos(uAngles[b]),
      load.voltage[a] * Math.sin(uAngles[a]) - load.voltage[b] * Math.sin(uAngles[b]),
    );
  let nRe = 0;
  let nIm = 0;
  for (let k = 0; k < 3; k += 1) {
    nRe += load.current[k] * Math.cos(iAngles[k]);
    nIm += load.current[k] * Math.sin(iAngles[k]);
  }
  const cycles = f === 60 ? 12 : 10;
  return {
    startTimeS,
    durationS: cycles / f,
    cycles,
    partial: false,
    frequencyHz: f,
    phases,
    lineVoltages: [lineVoltage(0, 1), lineVoltage(1, 2), lineVoltage(2, 0)],
    neutralCurrent: hypot(nRe, nIm),
    voltageUnbalance: unbalanceOf(load.voltage, uAngles),
    currentUnbalance: unbalanceOf(load.current, iAngles),
    phaseSequence: load.voltage.every((u) => u > 0) ? sequence : 'unknown',
    total: {
      activePower: p,
      reactivePower: q,
      apparentPower: s,
      vectorApparentPower: hypot(p, q),
      powerFactor: s > 0 ? p / s : 1,
      displacementPowerFactor: s > 0 ? p / hypot(p, q) : 1,
    },
  };
}

/** A source whose load is a function of time (seconds since epoch). */
export class PhasorSource implements MeasurementSource {
  measurements = 0;
  private readonly buffers = newHarmonicBuffers();
  constructor(
    public loadAt: (timeS: number) => PhasorLoad,
    readonly description = 'test:phasors',
  ) {}

  measureAt(timeS: number): WindowMeasurement {
    this.measurements += 1;
    return phasorMeasurement(this.loadAt(timeS), timeS, this.buffers);
  }
}

/** A source with a load that tests change by assigning `load`. */
export class SettableSource implements MeasurementSource {
  readonly description = 'test:settable';
  private readonly buffers = newHarmonicBuffers();
  constructor(public load: PhasorLoad) {}
  measureAt(timeS: number): WindowMeasurement {
    return phasorMeasurement(this.load, timeS, this.buffers);
  }
}
