/**
 * What the metrology core measures over one window (10 cycles at 50 Hz, 12 at 60 Hz).
 * All values in SI units: V, A, W, var, VA, Hz, s, radians. THD and unbalance are ratios
 * (0.05 = 5 %), never percent; percent appears only at the edges (CLI output, register maps).
 */

/** Highest harmonic order reported (harmonic arrays have HARMONIC_ORDERS + 1 entries, index = order, index 0 = DC). */
export const HARMONIC_ORDERS = 31;

export interface PhaseMeasurement {
  /** True RMS over whole cycles (V). */
  voltageRms: number;
  /** True RMS over whole cycles (A). */
  currentRms: number;
  /** P = mean(u*i) (W). Positive = import. */
  activePower: number;
  /** Fundamental reactive power Q1 = U1*I1*sin(phi1) (var). Positive = inductive (current lags). */
  reactivePower: number;
  /** S = Urms * Irms (VA). */
  apparentPower: number;
  /** True power factor P/S, signed like P (1 when S = 0). */
  powerFactor: number;
  /** cos(phi1), the displacement power factor, signed like P1. */
  displacementPowerFactor: number;
  /** Budeanu reactive power, sum over h of Uh*Ih*sin(phi_h) (var), diagnostic. */
  budeanuReactivePower: number;
  /** Non-active power N = sqrt(S^2 - P^2) (var), diagnostic. */
  nonActivePower: number;
  /** Total harmonic distortion of the voltage relative to the fundamental (ratio). */
  voltageThd: number;
  /** Total harmonic distortion of the current relative to the fundamental (ratio). */
  currentThd: number;
  /** RMS magnitude per harmonic order (index = order, 0 = DC) (V). */
  voltageHarmonics: Float64Array;
  /** Phase per harmonic order, radians, relative to the phase-A voltage fundamental. */
  voltageHarmonicPhases: Float64Array;
  /** RMS magnitude per harmonic order (A). */
  currentHarmonics: Float64Array;
  currentHarmonicPhases: Float64Array;
}

export type PhaseSequence = 'abc' | 'acb' | 'unknown';

export interface ThreePhaseTotals {
  activePower: number;
  reactivePower: number;
  /** Arithmetic apparent power: sum of the phases' S (VA). */
  apparentPower: number;
  /** Vector apparent power sqrt(P^2 + Q^2) (VA). */
  vectorApparentPower: number;
  /** P / arithmetic S, signed like P. */
  powerFactor: number;
  /** P1 / sqrt(P1^2 + Q1^2) over the three phases' fundamentals. */
  displacementPowerFactor: number;
}

export interface WindowMeasurement {
  /** Start of the window (s, same time base as the SampleBlock). */
  startTimeS: number;
  /** Duration of the whole cycles measured (s). */
  durationS: number;
  /** Whole cycles in the window. */
  cycles: number;
  /** True when the record held fewer cycles than a full window (measured over what it had). */
  partial: boolean;
  /** Whole cycles / their duration (Hz). */
  frequencyHz: number;
  phases: [PhaseMeasurement, PhaseMeasurement, PhaseMeasurement];
  /** Line-to-line RMS voltages L1-L2, L2-L3, L3-L1 (V). */
  lineVoltages: [number, number, number];
  /** RMS of ia + ib + ic, or of the measured neutral channel when there is one (A). */
  neutralCurrent: number;
  /** |negative sequence| / |positive sequence| of the fundamental voltages (ratio). */
  voltageUnbalance: number;
  /** |negative sequence| / |positive sequence| of the fundamental currents (ratio). */
  currentUnbalance: number;
  phaseSequence: PhaseSequence;
  total: ThreePhaseTotals;
}
