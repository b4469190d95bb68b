/**
 * One measurement for a whole record from its windows, weighted by window duration:
 * RMS values are RMS over the record (root of the mean square), P, Q, S and unbalance are time
 * averages (so P * duration is the record's energy), harmonic magnitudes are RMS over the record
 * and their phases those of the time-averaged phasors; PF, DPF and THD follow from the averages.
 */
import { HARMONIC_ORDERS } from './measurement.js';
import type { PhaseMeasurement, PhaseSequence, WindowMeasurement } from './measurement.js';

function fundamentalActivePower(p: PhaseMeasurement): number {
  return p.voltageHarmonics[1] * p.currentHarmonics[1] * Math.cos(p.voltageHarmonicPhases[1] - p.currentHarmonicPhases[1]);
}

export function summarizeWindows(windows: readonly WindowMeasurement[]): WindowMeasurement {
  const first = windows[0];
  if (first === undefined) throw new RangeError('no windows to summarize');
  const totalS = windows.reduce((s, w) => s + w.durationS, 0);
  const weightOf = (w: WindowMeasurement): number => (totalS > 0 ? w.durationS / totalS : 1 / windows.length);
  const mean = (value: (w: WindowMeasurement) => number): number => windows.reduce((s, w) => s + weightOf(w) * value(w), 0);
  const rms = (value: (w: WindowMeasurement) => number): number => Math.sqrt(mean((w) => value(w) ** 2));

  const fundamentalP: number[] = [];
  const phases = [0, 1, 2].map((p): PhaseMeasurement => {
    const harmonics = (pick: (m: PhaseMeasurement) => [Float64Array, Float64Array]): [Float64Array, Float64Array] => {
      const magnitudes = new Float64Array(HARMONIC_ORDERS + 1);
      const angles = new Float64Array(HARMONIC_ORDERS + 1);
      for (let h = 0; h <= HARMONIC_ORDERS; h++) {
        magnitudes[h] = rms((w) => pick(w.phases[p])[0][h]);
        const re = mean((w) => pick(w.phases[p])[0][h] * Math.cos(pick(w.phases[p])[1][h]));
        const im = mean((w) => pick(w.phases[p])[0][h] * Math.sin(pick(w.phases[p])[1][h]));
        angles[h] = re === 0 && im === 0 ? 0 : Math.atan2(im, re);
      }
      return [magnitudes, angles];
    };
    const [voltageHarmonics, voltageHarmonicPhases] = harmonics((m) => [m.voltageHarmonics, m.voltageHarmonicPhases]);
    const [currentHarmonics, currentHarmonicPhases] = harmonics((m) => [m.currentHarmonics, m.currentHarmonicPhases]);
    const thd = (magnitudes: Float64Array): number => {
      if (!(magnitudes[1] > 0)) return 0;
      let sum = 0;
      for (let h = 2; h <= HARMONIC_ORDERS; h++) sum += magnitudes[h] ** 2;
      return Math.sqrt(sum) / magnitudes[1];
    };
    const activePower = mean((w) => w.phases[p].activePower);
    const reactivePower = mean((w) => w.phases[p].reactivePower);
    const apparentPower = mean((w) => w.phases[p].apparentPower);
    const p1 = mean((w) => fundamentalActivePower(w.phases[p]));
    fundamentalP.push(p1);
    const s1 = Math.hypot(p1, reactivePower);
    return {
      voltageRms: rms((w) => w.phases[p].voltageRms),
      currentRms: rms((w) => w.phases[p].currentRms),
      activePower,
      reactivePower,
      apparentPower,
      powerFactor: apparentPower > 0 ? activePower / apparentPower : 1,
      displacementPowerFactor: s1 > 0 ? p1 / s1 : 1,
      budeanuReactivePower: mean((w) => w.phases[p].budeanuReactivePower),
      nonActivePower: Math.sqrt(Math.max(0, apparentPower ** 2 - activePower ** 2)),
      voltageThd: thd(voltageHarmonics),
      currentThd: thd(currentHarmonics),
      voltageHarmonics,
      voltageHarmonicPhases,
      currentHarmonics,
      currentHarmonicPhases,
    };
  }) as [PhaseMeasurement, PhaseMeasurement, PhaseMeasurement];

  const sequenceTime = new Map<PhaseSequence, number>();
  for (const w of windows) sequenceTime.set(w.phaseSequence, (sequenceTime.get(w.phaseSequence) ?? 0) + weightOf(w));
  let phaseSequence: PhaseSequence = first.phaseSequence;
  for (const [sequence, time] of sequenceTime) if (time > (sequenceTime.get(phaseSequence) ?? 0)) phaseSequence = sequence;

  const activePower = phases.reduce((s, m) => s + m.activePower, 0);
  const reactivePower = phases.reduce((s, m) => s + m.reactivePower, 0);
  const apparentPower = phases.reduce((s, m) => s + m.apparentPower, 0);
  const p1 = fundamentalP.reduce((s, v) => s + v, 0);
  const s1 = Math.hypot(p1, reactivePower);
  const cycles = windows.reduce((s, w) => s + w.cycles, 0);
  return {
    startTimeS: first.startTimeS,
    durationS: totalS,
    cycles,
    partial: windows.some((w) => w.partial),
    frequencyHz: totalS > 0 ? cycles / totalS : first.frequencyHz,
    phases,
    lineVoltages: [rms((w) => w.lineVoltages[0]), rms((w) => w.lineVoltages[1]), rms((w) => w.lineVoltages[2])],
    neutralCurrent: rms((w) => w.neutralCurrent),
    voltageUnbalance: mean((w) => w.voltageUnbalance),
    currentUnbalance: mean((w) => w.currentUnbalance),
    phaseSequence,
    total: {
      activePower,
      reactivePower,
      apparentPower,
      vectorApparentPower: Math.hypot(activePower, reactivePower),
      powerFactor: apparentPower > 0 ? activePower / apparentPower : 1,
      displacementPowerFactor: s1 > 0 ? p1 / s1 : 1,
    },
  };
}
