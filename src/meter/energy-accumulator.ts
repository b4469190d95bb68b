/**
 * The meter's energy registers: four-quadrant energy for the three-phase total and each phase,
 * import/export energy and CO2 per tariff, all in drift-free counters (see counter-bank.ts).
 *
 * The total is integrated from the three-phase total power (P = sum of the phases' P), the way a
 * polyphase meter sums its elements before deciding the direction; each phase from its own power.
 * Import active energy = QI + QIV, export = QII + QIII; reactive energy goes to the quadrant of
 * (P, Q); apparent energy accumulates S whatever the direction.
 *
 * Beside energy, two more counters real meters keep: charge (Ah, the sum of the three line
 * currents integrated) and load running time (s while any current flows); and reactive import
 * and export per tariff. They are stored after the original counters, so a state saved before
 * they existed restores with them at zero.
 */
import type { WindowMeasurement } from '../metrology/measurement.js';
import { CounterBank, type CounterBankState } from './counter-bank.js';
import { quadrantOf } from './quadrant.js';
import { TARIFF_COUNT, type EnergyRegisters, type TariffRegisters } from './snapshot.js';

const REGISTERS_PER_SCOPE = 7;
const ACTIVE_IMPORT = 0;
const ACTIVE_EXPORT = 1;
const REACTIVE_Q1 = 2; // Q2..Q4 follow
const APPARENT = 6;
/** Scope 0 = total, 1..3 = phases. */
const SCOPES = 4;
const TARIFF_BASE = SCOPES * REGISTERS_PER_SCOPE;
const REGISTERS_PER_TARIFF = 3; // import Wh, export Wh, CO2 kg
const CO2_TOTAL = TARIFF_BASE + TARIFF_COUNT * REGISTERS_PER_TARIFF;
/** Counters added later (appended, so older saved states stay valid). */
const CHARGE_AH = CO2_TOTAL + 1;
const LOAD_RUNNING_S = CHARGE_AH + 1;
const TARIFF_REACTIVE_BASE = LOAD_RUNNING_S + 1; // per tariff: reactive import varh, reactive export varh
const COUNTERS = TARIFF_REACTIVE_BASE + TARIFF_COUNT * 2;
/** How many counters an exported energy state holds. */
export const ENERGY_COUNTER_COUNT = COUNTERS;
/** How many counters a state saved before the charge, running-time and per-tariff reactive counters holds. */
export const LEGACY_ENERGY_COUNTER_COUNT = CHARGE_AH;

const SECONDS_PER_HOUR = 3600;

/** The total active import energy (Wh) held in an exported state (see exportState). */
export function activeImportWhOfState(state: CounterBankState): number {
  return state.whole[ACTIVE_IMPORT] + state.fraction[ACTIVE_IMPORT];
}

export class EnergyAccumulator {
  private readonly counters = new CounterBank(COUNTERS);
  /**
   * The last tariffs() answer and which tariffs changed since (bit t-1): a tick credits one
   * tariff, so a snapshot per tick rebuilds one TariffRegisters, not eight. Answers are shared
   * between snapshots and never mutated in place.
   */
  private tariffView: TariffRegisters[] | undefined;
  private changedTariffs = 0;

  /**
   * Integrate one (already CT/PT-scaled) measurement over `durationS` seconds, crediting the
   * tariff registers of `tariff` (1..8) and CO2 at `emissionFactorKgPerKWh`.
   */
  integrate(measurement: WindowMeasurement, durationS: number, tariff: number, emissionFactorKgPerKWh: number): void {
    if (!(durationS > 0)) return;
    const hours = durationS / SECONDS_PER_HOUR;
    const total = measurement.total;
    const activeWh = total.activePower * hours;
    this.addScope(0, activeWh, total.reactivePower * hours, total.apparentPower * hours);
    for (let p = 0; p < 3; p += 1) {
      const phase = measurement.phases[p];
      this.addScope(p + 1, phase.activePower * hours, phase.reactivePower * hours, phase.apparentPower * hours);
    }
    const tariffBase = TARIFF_BASE + (tariff - 1) * REGISTERS_PER_TARIFF;
    this.changedTariffs |= 1 << (tariff - 1);
    const reactiveVarh = total.reactivePower * hours;
    this.counters.add(TARIFF_REACTIVE_BASE + (tariff - 1) * 2 + (reactiveVarh >= 0 ? 0 : 1), Math.abs(reactiveVarh));
    const phases = measurement.phases;
    const lineCurrents = phases[0].currentRms + phases[1].currentRms + phases[2].currentRms;
    this.counters.add(CHARGE_AH, lineCurrents * hours);
    if (lineCurrents > 0) this.counters.add(LOAD_RUNNING_S, durationS);
    if (activeWh >= 0) {
      this.counters.add(tariffBase, activeWh);
      const co2Kg = (activeWh / 1000) * emissionFactorKgPerKWh;
      this.counters.add(tariffBase + 2, co2Kg);
      this.counters.add(CO2_TOTAL, co2Kg);
    } else {
      this.counters.add(tariffBase + 1, -activeWh);
    }
  }

  private addScope(scope: number, activeWh: number, reactiveVarh: number, apparentVAh: number): void {
    const base = scope * REGISTERS_PER_SCOPE;
    if (activeWh >= 0) this.counters.add(base + ACTIVE_IMPORT, activeWh);
    else this.counters.add(base + ACTIVE_EXPORT, -activeWh);
    const quadrant = quadrantOf(activeWh, reactiveVarh);
    this.counters.add(base + REACTIVE_Q1 + quadrant - 1, Math.abs(reactiveVarh));
    this.counters.add(base + APPARENT, apparentVAh);
  }

  /** Registers of the total (scope 0) or of phase 1..3. */
  registers(scope: number): EnergyRegisters {
    const base = scope * REGISTERS_PER_SCOPE;
    const c = this.counters;
    const activeImportWh = c.value(base + ACTIVE_IMPORT);
    const activeExportWh = c.value(base + ACTIVE_EXPORT);
    return {
      activeImportWh,
      activeExportWh,
      reactiveQ1varh: c.value(base + REACTIVE_Q1),
      reactiveQ2varh: c.value(base + REACTIVE_Q1 + 1),
      reactiveQ3varh: c.value(base + REACTIVE_Q1 + 2),
      reactiveQ4varh: c.value(base + REACTIVE_Q1 + 3),
      apparentVAh: c.value(base + APPARENT),
      activeNetWh: activeImportWh - activeExportWh,
    };
  }

  /** Tariff registers of tariff 1..8. */
  tariff(tariff: number): TariffRegisters {
    const base = TARIFF_BASE + (tariff - 1) * REGISTERS_PER_TARIFF;
    const reactive = TARIFF_REACTIVE_BASE + (tariff - 1) * 2;
    return {
      activeImportWh: this.counters.value(base),
      activeExportWh: this.counters.value(base + 1),
      reactiveImportVarh: this.counters.value(reactive),
      reactiveExportVarh: this.counters.value(reactive + 1),
      co2Kg: this.counters.value(base + 2),
    };
  }

  tariffs(): TariffRegisters[] {
    const previous = this.tariffView;
    if (previous !== undefined && this.changedTariffs === 0) return previous;
    const all: TariffRegisters[] = [];
    for (let t = 1; t <= TARIFF_COUNT; t += 1) {
      const kept = previous?.[t - 1];
      all.push(kept !== undefined && (this.changedTariffs & (1 << (t - 1))) === 0 ? kept : this.tariff(t));
    }
    this.tariffView = all;
    this.changedTariffs = 0;
    return all;
  }

  co2Kg(): number {
    return this.counters.value(CO2_TOTAL);
  }

  /** Charge: the sum of the three line currents integrated over time (Ah). */
  chargeAh(): number {
    return this.counters.value(CHARGE_AH);
  }

  /** Time during which any line current flowed (s). */
  loadRunningS(): number {
    return this.counters.value(LOAD_RUNNING_S);
  }

  /** The total active import energy (Wh): the register crash tests and benchmarks watch. */
  activeImportWh(): number {
    return this.counters.value(ACTIVE_IMPORT);
  }

  reset(): void {
    this.counters.reset();
    this.tariffView = undefined;
  }

  /** Forget the kept tariffs() answer (rebuilt, equal, by the next call). */
  releaseCache(): void {
    this.tariffView = undefined;
  }

  exportState(): CounterBankState {
    return this.counters.exportState();
  }

  importState(state: CounterBankState): void {
    const missing = COUNTERS - state.whole.length;
    // a state saved before the appended counters existed: they start at zero
    this.counters.importState(missing > 0 && missing === COUNTERS - CHARGE_AH
      ? { ...state, whole: [...state.whole, ...new Array<number>(missing).fill(0)], fraction: [...state.fraction, ...new Array<number>(missing).fill(0)] }
      : state);
    this.tariffView = undefined;
  }
}
