/**
 * Demand: the average of a quantity over a demand period, the way utilities bill capacity.
 * Block: the average over each period (15 min: 00:00-00:15, 00:15-00:30 ...). Sliding (rolling):
 * the average over the last period, recomputed at the end of every sub-period (15 min / 5 min:
 * at 00:20 the average of 00:05-00:20). Intervals are aligned to local clock time; the meter calls
 * closeSubPeriod at each boundary. Demand is computed once a full period of complete sub-periods
 * has been seen: a sub-period the meter did not measure whole (the first one after a start, a
 * change of method/period, or a power loss) is discarded and restarts the window, as real meters
 * do, so a constant load never reads as a demand above or below itself. Until then the maximum
 * reads 0. The maximum keeps its time and the tariff in force.
 *
 * Quantities: active import W, active export W, apparent VA (arithmetic S), reactive var (|Q| of
 * the total), the current of each phase and the neutral current (A), and the active import and
 * export power of each phase (W, for single-phase layouts). A state saved before the later
 * quantities were added restores with their demand at zero.
 */
import type { WindowMeasurement } from '../metrology/measurement.js';
import { TARIFF_COUNT, type DemandMethod, type DemandRegister, type DemandRegisters } from './snapshot.js';

export const DEMAND_QUANTITIES = 14;
/** Quantities in a state saved before neutral-current and per-phase power demand existed. */
export const LEGACY_DEMAND_QUANTITIES = 7;
const ACTIVE_IMPORT = 0;
const ACTIVE_EXPORT = 1;
const APPARENT = 2;
const REACTIVE = 3;
const CURRENT_L1 = 4;
const NEUTRAL_CURRENT = 7;
/** Per-phase active power: import L1..L3 at 8..10, export L1..L3 at 11..13. */
const PHASE_IMPORT_L1 = 8;
const PHASE_EXPORT_L1 = 11;
/** Rounding slack when deciding that a sub-period was measured whole (durations are summed in s). */
const COMPLETE_TOLERANCE_S = 1e-6;
/**
 * A new maximum must beat the old by more than rounding (1e-11 relative): equal demands summed in
 * a different number of steps (a lazy meter's catch-up) keep the first maximum and its time.
 */
const MAX_TIE = 1 + 1e-11;

export interface DemandState {
  method: DemandMethod;
  periodS: number;
  subPeriodS: number;
  /** Closed sub-periods, oldest first, each the time integrals (unit·s) of the quantities. */
  closed: number[][];
  current: number[];
  currentElapsedS: number;
  last: number[];
  max: number[];
  maxTimeMs: number[];
  maxByTariff: number[];
  maxTimeByTariffMs: number[];
}

/** `values` as a Float64Array of `length`, zero-filled past the values given. */
function padded(values: readonly number[], length: number): Float64Array {
  const out = new Float64Array(length);
  out.set(values.slice(0, length));
  return out;
}

export class DemandCalculator {
  /** Sub-periods per period (1 for block demand). */
  private readonly window: number;
  private readonly closed: Float64Array[] = [];
  /** The six arrays below share one buffer (one allocation per meter: a fleet builds 100,000). */
  private readonly storage = new Float64Array(4 * DEMAND_QUANTITIES + 2 * DEMAND_QUANTITIES * TARIFF_COUNT);
  private readonly current = this.storage.subarray(0, DEMAND_QUANTITIES);
  private currentElapsedS = 0;
  private readonly last = this.storage.subarray(DEMAND_QUANTITIES, 2 * DEMAND_QUANTITIES);
  private readonly max = this.storage.subarray(2 * DEMAND_QUANTITIES, 3 * DEMAND_QUANTITIES);
  private readonly maxTimeMs = this.storage.subarray(3 * DEMAND_QUANTITIES, 4 * DEMAND_QUANTITIES);
  private readonly maxByTariff = this.storage.subarray(4 * DEMAND_QUANTITIES, (4 + TARIFF_COUNT) * DEMAND_QUANTITIES);
  private readonly maxTimeByTariffMs = this.storage.subarray((4 + TARIFF_COUNT) * DEMAND_QUANTITIES, (4 + 2 * TARIFF_COUNT) * DEMAND_QUANTITIES);
  /**
   * Per quantity, the per-tariff maxima as arrays for registers(), rebuilt only after the maxima
   * may have changed (a sub-period close, a reset, a restore), not on every tick: a snapshot is
   * built per tick and per meter, and a fleet of thousands would otherwise make 14 arrays of
   * garbage per meter per tick. Snapshots share these arrays; they are never mutated in place.
   */
  private tariffMaxima: Array<{ maxByTariff: number[]; maxTimeByTariffMs: number[] }> | undefined;

  /** Length of a sub-period (the period itself for block demand). */
  readonly subPeriodS: number;

  constructor(
    readonly method: DemandMethod,
    readonly periodS: number,
    subPeriodS: number,
  ) {
    this.subPeriodS = method === 'block' ? periodS : subPeriodS;
    this.window = periodS / this.subPeriodS;
  }

  /** Integrate a (scaled) measurement over `durationS`. */
  accumulate(m: WindowMeasurement, durationS: number): void {
    if (!(durationS > 0)) return;
    const p = m.total.activePower;
    const c = this.current;
    if (p >= 0) c[ACTIVE_IMPORT] += p * durationS;
    else c[ACTIVE_EXPORT] -= p * durationS;
    c[APPARENT] += m.total.apparentPower * durationS;
    c[REACTIVE] += Math.abs(m.total.reactivePower) * durationS;
    c[CURRENT_L1] += m.phases[0].currentRms * durationS;
    c[CURRENT_L1 + 1] += m.phases[1].currentRms * durationS;
    c[CURRENT_L1 + 2] += m.phases[2].currentRms * durationS;
    c[NEUTRAL_CURRENT] += m.neutralCurrent * durationS;
    for (let phase = 0; phase < 3; phase += 1) {
      const pp = m.phases[phase as 0 | 1 | 2].activePower;
      if (pp >= 0) c[PHASE_IMPORT_L1 + phase] += pp * durationS;
      else c[PHASE_EXPORT_L1 + phase] -= pp * durationS;
    }
    this.currentElapsedS += durationS;
  }

  /**
   * End of a sub-period at `timeMs` (a boundary), measured while `tariff` was in force. A partial
   * sub-period (less than its length measured) is dropped and empties the window.
   */
  closeSubPeriod(timeMs: number, tariff: number): void {
    const complete = this.currentElapsedS >= this.subPeriodS - COMPLETE_TOLERANCE_S;
    if (complete) {
      this.closed.push(Float64Array.from(this.current));
      if (this.closed.length > this.window) this.closed.shift();
    } else {
      this.closed.length = 0;
    }
    this.current.fill(0);
    this.currentElapsedS = 0;
    if (this.closed.length < this.window) return;
    this.tariffMaxima = undefined;
    for (let q = 0; q < DEMAND_QUANTITIES; q += 1) {
      let sum = 0;
      for (const sub of this.closed) sum += sub[q];
      const demand = sum / this.periodS;
      this.last[q] = demand;
      if (demand > this.max[q] * MAX_TIE) {
        this.max[q] = demand;
        this.maxTimeMs[q] = timeMs;
      }
      const t = q * TARIFF_COUNT + tariff - 1;
      if (demand > this.maxByTariff[t] * MAX_TIE) {
        this.maxByTariff[t] = demand;
        this.maxTimeByTariffMs[t] = timeMs;
      }
    }
  }

  /**
   * The running average over the part of the (sliding) window seen so far; at the very instant a
   * block period closes (nothing measured yet in the new one), the demand of the period just closed.
   */
  private present(q: number): number {
    let sum = this.current[q];
    let seconds = this.currentElapsedS;
    const fromClosed = Math.max(0, this.closed.length - (this.window - 1));
    for (let i = fromClosed; i < this.closed.length; i += 1) {
      sum += this.closed[i][q];
      seconds += this.subPeriodS;
    }
    if (seconds > 0) return sum / seconds;
    return this.closed.length > 0 ? this.last[q] : 0;
  }

  /** Clear maximum demands (a demand reset or the close of a billing period). */
  resetMaxima(): void {
    this.max.fill(0);
    this.maxTimeMs.fill(0);
    this.maxByTariff.fill(0);
    this.maxTimeByTariffMs.fill(0);
    this.tariffMaxima = undefined;
  }

  /**
   * Forget the per-tariff arrays registers() keeps (a lazy meter nobody has read lately: a fleet of
   * 100,000 would otherwise hold 28 arrays per meter); the next registers() rebuilds them.
   */
  releaseCache(): void {
    this.tariffMaxima = undefined;
  }

  registers(): DemandRegisters {
    const tariffs = (values: Float64Array, q: number): number[] => {
      const out: number[] = [];
      for (let t = 0; t < TARIFF_COUNT; t += 1) out.push(values[q * TARIFF_COUNT + t] ?? 0);
      return out;
    };
    const maxima = (this.tariffMaxima ??= Array.from({ length: DEMAND_QUANTITIES }, (_, q) => ({
      maxByTariff: tariffs(this.maxByTariff, q),
      maxTimeByTariffMs: tariffs(this.maxTimeByTariffMs, q),
    })));
    const reg = (q: number): DemandRegister => {
      const { maxByTariff, maxTimeByTariffMs } = maxima[q] as { maxByTariff: number[]; maxTimeByTariffMs: number[] };
      return { present: this.present(q), last: this.last[q], max: this.max[q], maxTimeMs: this.maxTimeMs[q], maxByTariff, maxTimeByTariffMs };
    };
    return {
      activeImport: reg(ACTIVE_IMPORT),
      activeExport: reg(ACTIVE_EXPORT),
      apparent: reg(APPARENT),
      reactive: reg(REACTIVE),
      phaseCurrent: [reg(CURRENT_L1), reg(CURRENT_L1 + 1), reg(CURRENT_L1 + 2)],
      neutralCurrent: reg(NEUTRAL_CURRENT),
      phaseActiveImport: [reg(PHASE_IMPORT_L1), reg(PHASE_IMPORT_L1 + 1), reg(PHASE_IMPORT_L1 + 2)],
      phaseActiveExport: [reg(PHASE_EXPORT_L1), reg(PHASE_EXPORT_L1 + 1), reg(PHASE_EXPORT_L1 + 2)],
    };
  }

  exportState(): DemandState {
    return {
      method: this.method,
      periodS: this.periodS,
      subPeriodS: this.subPeriodS,
      closed: this.closed.map((sub) => Array.from(sub)),
      current: Array.from(this.current),
      currentElapsedS: this.currentElapsedS,
      last: Array.from(this.last),
      max: Array.from(this.max),
      maxTimeMs: Array.from(this.maxTimeMs),
      maxByTariff: Array.from(this.maxByTariff),
      maxTimeByTariffMs: Array.from(this.maxTimeByTariffMs),
    };
  }

  /**
   * Restore maxima and last demand; the running window too when it was kept with the same
   * method and periods (otherwise demand starts a fresh window).
   */
  importState(state: DemandState): void {
    this.restoreMaxima(state);
    if (state.method === this.method && state.periodS === this.periodS && state.subPeriodS === this.subPeriodS) {
      for (const sub of state.closed.slice(-this.window)) this.closed.push(padded(sub, DEMAND_QUANTITIES));
      this.current.set(state.current);
      this.currentElapsedS = state.currentElapsedS;
    }
  }

  /** Keep the maxima and last demand of another calculator (a change of method or period). */
  takeMaximaFrom(previous: DemandCalculator): void {
    this.restoreMaxima(previous.exportState());
  }

  private restoreMaxima(state: DemandState): void {
    this.last.set(state.last);
    this.max.set(state.max);
    this.maxTimeMs.set(state.maxTimeMs);
    // per tariff, quantity-major: an older state (fewer quantities) fills the first ones
    this.maxByTariff.set(state.maxByTariff.slice(0, this.maxByTariff.length));
    this.maxTimeByTariffMs.set(state.maxTimeByTariffMs.slice(0, this.maxTimeByTariffMs.length));
    this.tariffMaxima = undefined;
  }
}
