/**
 * The meter's energy registers: four-quadrant energy for the three-phase total and each phase,
 * import/export energy and CO2 per tariff, all in drift-free counters (see counter-bank.ts).
 *
 * The total is integrated from the three-phase total power (P = sum of the phases' P), the way a
 * polyphase meter sums its elements before deciding the direction; each phase from its own power.
 * Import active energy = QI + QIV, export = QII + QIII; reactive energy goes to the quadrant of
 * (P, Q); apparent energy accumulates S whatever the direction.
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
const COUNTERS = CO2_TOTAL + 1;
/** How many counters an exported energy state holds. */
export const ENERGY_COUNTER_COUNT = COUNTERS;

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
    return {
      activeImportWh: this.counters.value(base),
      activeExportWh: this.counters.value(base + 1),
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

  /** The total active import energy (Wh): the register crash tests and benchmarks watch. */
  activeImportWh(): number {
    return this.counters.value(ACTIVE_IMPORT);
  }

  reset(): void {
    this.counters.reset();
    this.tariffView = undefined;
  }

  exportState(): CounterBankState {
    return this.counters.exportState();
  }

  importState(state: CounterBankState): void {
    this.counters.importState(state);
    this.tariffView = undefined;
  }
}
