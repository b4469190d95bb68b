/**
 * The electrical values of a window on the phasor path, from its accumulated spectra. Per phase,
 * with U_h, I_h the RMS phasors (h = 0 is DC) and the accumulated mean squares:
 *   Urms, Irms = sqrt(mean square)
 *   P          = accumulated sum_h Re(U_h conj(I_h))
 *   P1 + j Q1  = U_1 conj(I_1)                              (Q1 positive when the current lags)
 *   Budeanu Q  = sum_{h>=1} Im(U_h conj(I_h))
 *   S          = Urms Irms;  N = sqrt(max(0, S^2 - P^2));  PF = P / S (1 when S = 0)
 *   DPF        = P1 / |P1 + j Q1| (1 when U_1 I_1 = 0)
 *   THD        = sqrt(sum_{h=2}^{31} |X_h|^2) / |X_1| (0 when X_1 = 0)
 *   harmonics  = |X_h| for h = 0..31 (index 0: |DC|); phase = arg(X_h) - h * arg(U_1 of phase A),
 *                wrapped to (-pi, pi] (DC: 0 or pi by its sign); reference 0 when phase A has no voltage.
 * Unbalance and phase sequence: symmetrical-components.ts on the fundamentals (the sample path's routine).
 * Totals: P = sum P_p, Q = sum Q1_p, S = sum S_p (arithmetic), vector S = sqrt(P^2 + Q^2),
 *   PF = P / S (1 when S = 0), DPF = sum P1_p / |sum P1_p + j sum Q1_p| (1 when zero).
 * Orders above 31 count in RMS, P, line voltages and neutral, not in the arrays or THD.
 */
import { HARMONIC_ORDERS, type PhaseMeasurement, type WindowMeasurement } from '../measurement.js';
import { sequenceComponentsOf, windowPhaseSequence, type SequenceAnalysis } from '../symmetrical-components.js';
import { wrapAngle } from '../wrap-angle.js';
import type { AccumulatedSpectrum, WindowAccumulator } from './window-accumulator.js';

/** The parts of a window's measurement that depend on the models only (not on its timing). */
export type ElectricalParts = Omit<WindowMeasurement, 'startTimeS' | 'durationS' | 'cycles' | 'partial' | 'frequencyHz'>;

/** |X_h| and arg(X_h) - h * reference, into `magnitude` and `phase` (zeroed, HARMONIC_ORDERS + 1 long). */
function magnitudesAndPhases(
  s: AccumulatedSpectrum,
  referenceRad: number,
  magnitude: Float64Array,
  phase: Float64Array,
): { magnitude: Float64Array; phase: Float64Array } {
  magnitude[0] = Math.abs(s.re[0]);
  phase[0] = s.re[0] < 0 ? Math.PI : 0;
  for (let h = 1; h <= HARMONIC_ORDERS; h++) {
    magnitude[h] = Math.hypot(s.re[h], s.im[h]);
    phase[h] = magnitude[h] === 0 ? 0 : wrapAngle(Math.atan2(s.im[h], s.re[h]) - h * referenceRad);
  }
  return { magnitude, phase };
}

function thd(m: Float64Array): number {
  const fundamental = m[1];
  if (fundamental === 0) return 0;
  let s = 0;
  for (let h = 2; h <= HARMONIC_ORDERS; h++) s += m[h] * m[h];
  return Math.sqrt(s) / fundamental;
}

/** Symmetrical components of the three channels' fundamentals. */
function fundamentalSequence(s: readonly AccumulatedSpectrum[]): SequenceAnalysis {
  const [a, b, c] = s;
  return sequenceComponentsOf(a.re[1], a.im[1], b.re[1], b.im[1], c.re[1], c.im[1]);
}

export function partsFromAccumulator(acc: WindowAccumulator): ElectricalParts {
  const reference = acc.voltage[0];
  const referenceRad = Math.hypot(reference.re[1], reference.im[1]) === 0 ? 0 : Math.atan2(reference.im[1], reference.re[1]);
  let p1Total = 0;
  let q1Total = 0;
  // The window's twelve harmonic arrays share one buffer (one allocation, not twelve).
  const orders = HARMONIC_ORDERS + 1;
  const harmonics = new Float64Array(12 * orders);
  let next = 0;
  const view = (): Float64Array => harmonics.subarray(orders * next, orders * ++next);
  const phases = [0, 1, 2].map((p): PhaseMeasurement => {
    const u = acc.voltage[p];
    const i = acc.current[p];
    const voltageRms = Math.sqrt(u.meanSquare);
    const currentRms = Math.sqrt(i.meanSquare);
    const activePower = acc.activePower[p];
    // U_1 conj(I_1) = P1 + j Q1.
    const p1 = u.re[1] * i.re[1] + u.im[1] * i.im[1];
    const q1 = u.im[1] * i.re[1] - u.re[1] * i.im[1];
    let budeanu = 0;
    for (let h = 1; h < acc.size; h++) budeanu += u.im[h] * i.re[h] - u.re[h] * i.im[h];
    p1Total += p1;
    q1Total += q1;
    const apparentPower = voltageRms * currentRms;
    const s1 = Math.hypot(p1, q1);
    const vh = magnitudesAndPhases(u, referenceRad, view(), view());
    const ih = magnitudesAndPhases(i, referenceRad, view(), view());
    return {
      voltageRms,
      currentRms,
      activePower,
      reactivePower: q1,
      apparentPower,
      powerFactor: apparentPower === 0 ? 1 : activePower / apparentPower,
      displacementPowerFactor: s1 === 0 ? 1 : p1 / s1,
      budeanuReactivePower: budeanu,
      nonActivePower: Math.sqrt(Math.max(0, apparentPower * apparentPower - activePower * activePower)),
      voltageThd: thd(vh.magnitude),
      currentThd: thd(ih.magnitude),
      voltageHarmonics: vh.magnitude,
      voltageHarmonicPhases: vh.phase,
      currentHarmonics: ih.magnitude,
      currentHarmonicPhases: ih.phase,
    };
  });
  const [pa, pb, pc] = phases;
  const activePower = pa.activePower + pb.activePower + pc.activePower;
  const reactivePower = pa.reactivePower + pb.reactivePower + pc.reactivePower;
  const apparentPower = pa.apparentPower + pb.apparentPower + pc.apparentPower;
  const s1Total = Math.hypot(p1Total, q1Total);
  const voltageSequence = fundamentalSequence(acc.voltage);
  const currentSequence = fundamentalSequence(acc.current);
  return {
    phases: [pa, pb, pc],
    lineVoltages: [
      Math.sqrt(acc.lineMeanSquare[0]),
      Math.sqrt(acc.lineMeanSquare[1]),
      Math.sqrt(acc.lineMeanSquare[2]),
    ],
    neutralCurrent: Math.sqrt(acc.neutralMeanSquare),
    voltageUnbalance: voltageSequence.unbalance,
    currentUnbalance: currentSequence.unbalance,
    phaseSequence: windowPhaseSequence(voltageSequence, currentSequence),
    total: {
      activePower,
      reactivePower,
      apparentPower,
      vectorApparentPower: Math.hypot(activePower, reactivePower),
      powerFactor: apparentPower === 0 ? 1 : activePower / apparentPower,
      displacementPowerFactor: s1Total === 0 ? 1 : p1Total / s1Total,
    },
  };
}
