/**
 * A window's electrical parts packed into one Float64Array (plus the phase-sequence name): what a
 * phasor measurer keeps per model for as long as the model lives, about 3.5 KB instead of about
 * 10 KB of objects, so a fleet of 100,000 meters can keep every model's parts. Unpacking gives the
 * same doubles (no arithmetic); the harmonic arrays of the unpacked parts are views into the
 * packed buffer (read-only, as every measurement's arrays are).
 */
import type { PhaseMeasurement, WindowMeasurement } from '../measurement.js';
import type { ElectricalParts } from './electrical-parts.js';

const PHASE_SCALARS = [
  'voltageRms',
  'currentRms',
  'activePower',
  'reactivePower',
  'apparentPower',
  'powerFactor',
  'displacementPowerFactor',
  'budeanuReactivePower',
  'nonActivePower',
  'voltageThd',
  'currentThd',
] as const;
/** Harmonic arrays per phase: voltage magnitudes and phases, current magnitudes and phases. */
const PHASE_ARRAYS = 4;
/** Totals: P, Q, S, vector S, PF, DPF. */
const TOTALS = 6;
/** lineVoltages (3), neutralCurrent, voltageUnbalance, currentUnbalance. */
const WINDOW_SCALARS = 6;

export interface CompactParts {
  readonly values: Float64Array;
  /** Length of each harmonic array. */
  readonly orders: number;
  readonly phaseSequence: WindowMeasurement['phaseSequence'];
}

function phaseLength(orders: number): number {
  return PHASE_SCALARS.length + PHASE_ARRAYS * orders;
}

export function packParts(parts: ElectricalParts): CompactParts {
  const orders = parts.phases[0].voltageHarmonics.length;
  const perPhase = phaseLength(orders);
  const values = new Float64Array(3 * perPhase + WINDOW_SCALARS + TOTALS);
  for (let p = 0; p < 3; p += 1) {
    const phase = parts.phases[p as 0 | 1 | 2];
    const at = p * perPhase;
    // In PHASE_SCALARS order (unpackParts reads them back by position).
    values[at] = phase.voltageRms;
    values[at + 1] = phase.currentRms;
    values[at + 2] = phase.activePower;
    values[at + 3] = phase.reactivePower;
    values[at + 4] = phase.apparentPower;
    values[at + 5] = phase.powerFactor;
    values[at + 6] = phase.displacementPowerFactor;
    values[at + 7] = phase.budeanuReactivePower;
    values[at + 8] = phase.nonActivePower;
    values[at + 9] = phase.voltageThd;
    values[at + 10] = phase.currentThd;
    const arrays = [phase.voltageHarmonics, phase.voltageHarmonicPhases, phase.currentHarmonics, phase.currentHarmonicPhases];
    arrays.forEach((array, i) => {
      if (array.length !== orders) throw new Error(`harmonic array ${i} of phase ${p} has ${array.length} orders, not ${orders}`);
      values.set(array, at + PHASE_SCALARS.length + i * orders);
    });
  }
  let at = 3 * perPhase;
  for (const v of parts.lineVoltages) values[at++] = v;
  values[at++] = parts.neutralCurrent;
  values[at++] = parts.voltageUnbalance;
  values[at++] = parts.currentUnbalance;
  const t = parts.total;
  values[at++] = t.activePower;
  values[at++] = t.reactivePower;
  values[at++] = t.apparentPower;
  values[at++] = t.vectorApparentPower;
  values[at++] = t.powerFactor;
  values[at] = t.displacementPowerFactor;
  return { values, orders, phaseSequence: parts.phaseSequence };
}

export function unpackParts(compact: CompactParts): ElectricalParts {
  const { values, orders } = compact;
  const perPhase = phaseLength(orders);
  const phase = (p: number): PhaseMeasurement => {
    const base = p * perPhase;
    const scalar = (i: number): number => values[base + i] ?? 0;
    const array = (i: number): Float64Array => {
      const from = base + PHASE_SCALARS.length + i * orders;
      return values.subarray(from, from + orders);
    };
    return {
      voltageRms: scalar(0),
      currentRms: scalar(1),
      activePower: scalar(2),
      reactivePower: scalar(3),
      apparentPower: scalar(4),
      powerFactor: scalar(5),
      displacementPowerFactor: scalar(6),
      budeanuReactivePower: scalar(7),
      nonActivePower: scalar(8),
      voltageThd: scalar(9),
      currentThd: scalar(10),
      voltageHarmonics: array(0),
      voltageHarmonicPhases: array(1),
      currentHarmonics: array(2),
      currentHarmonicPhases: array(3),
    };
  };
  const at = 3 * perPhase;
  const v = (i: number): number => values[at + i] ?? 0;
  return {
    phases: [phase(0), phase(1), phase(2)],
    lineVoltages: [v(0), v(1), v(2)],
    neutralCurrent: v(3),
    voltageUnbalance: v(4),
    currentUnbalance: v(5),
    phaseSequence: compact.phaseSequence,
    total: {
      activePower: v(6),
      reactivePower: v(7),
      apparentPower: v(8),
      vectorApparentPower: v(9),
      powerFactor: v(10),
      displacementPowerFactor: v(11),
    },
  };
}
