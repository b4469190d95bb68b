/**
 * The named quantities a register map may expose, resolved at load time to getters on a
 * ReadContext (the MeterSnapshot plus the device's log selection). Values are SI (V, A, W, var,
 * VA, Wh, varh, VAh, Hz, s, kg, ratios); a map's scale converts them (Wh -> kWh, ratio -> %).
 * Timestamps are seconds since the Unix epoch.
 */
import { HARMONIC_ORDERS, type PhaseMeasurement } from '../metrology/measurement.js';
import { wrapAngle } from '../metrology/wrap-angle.js';
import {
  TARIFF_COUNT,
  type DemandRegister,
  type EnergyRegisters,
  type LoadProfileRecord,
  type MeterEventRecord,
} from '../meter/snapshot.js';
import { eventKindCode } from './event-kind-codes.js';
import type { ReadContext } from './read-context.js';

export interface NumericQuantity {
  readonly kind: 'number';
  readonly name: string;
  /** SI unit of the value ('' for ratios and counts). */
  readonly unit: string;
  readonly description: string;
  /**
   * A counter that only grows between resets (energy, charge, running time): an integer register
   * shows the steps it has completed (truncated toward zero, 0.974 kWh in 0.1 kWh reads 0.9), as a
   * meter's register does; other quantities round to the nearest step.
   */
  readonly accumulates: boolean;
  readonly get: (context: ReadContext) => number;
}

export interface TextQuantity {
  readonly kind: 'text';
  readonly name: string;
  readonly unit: '';
  readonly description: string;
  readonly get: (context: ReadContext) => string;
}

export type Quantity = NumericQuantity | TextQuantity;

/** Units of counters (energy and charge registers): see NumericQuantity.accumulates. */
const ACCUMULATING_UNITS: ReadonlySet<string> = new Set(['Wh', 'varh', 'VAh', 'Ah', 'kg']);

/**
 * THD of the line-line voltage a - b: each harmonic of the difference is the difference of the
 * two phases' harmonic phasors (magnitude and phase, same time origin).
 */
function lineVoltageThd(a: PhaseMeasurement, b: PhaseMeasurement): number {
  const known = lineThds.get(a);
  if (known !== undefined && known.b === b) return known.thd;
  const thd = lineVoltageThdOf(a, b);
  lineThds.set(a, { b, thd });
  return thd;
}

/**
 * Line THDs by the pair's first phase. Measurements are read-only, and the phasor path shares a
 * window's phase objects between all windows under one scenario model, so a meter's line THDs are
 * computed once per model rather than at every image encode and telemetry message (each is 50
 * harmonic phasor differences).
 */
const lineThds = new WeakMap<PhaseMeasurement, { b: PhaseMeasurement; thd: number }>();

function lineVoltageThdOf(a: PhaseMeasurement, b: PhaseMeasurement): number {
  const difference = (h: number): number => {
    const ma = a.voltageHarmonics[h] ?? 0;
    const mb = b.voltageHarmonics[h] ?? 0;
    const pa = a.voltageHarmonicPhases[h] ?? 0;
    const pb = b.voltageHarmonicPhases[h] ?? 0;
    return Math.hypot(ma * Math.cos(pa) - mb * Math.cos(pb), ma * Math.sin(pa) - mb * Math.sin(pb));
  };
  const fundamental = difference(1);
  if (!(fundamental > 0)) return 0;
  let sum = 0;
  for (let h = 2; h <= HARMONIC_ORDERS; h += 1) sum += difference(h) ** 2;
  return Math.sqrt(sum) / fundamental;
}

const PHASES = ['l1', 'l2', 'l3'] as const;
const PHASE_INDEX = [0, 1, 2] as const;

function buildCatalogue(): Map<string, Quantity> {
  const catalogue = new Map<string, Quantity>();
  const num = (name: string, unit: string, description: string, get: (c: ReadContext) => number, accumulates = ACCUMULATING_UNITS.has(unit)): void => {
    catalogue.set(name, { kind: 'number', name, unit, description, accumulates, get });
  };
  const text = (name: string, description: string, get: (c: ReadContext) => string): void => {
    catalogue.set(name, { kind: 'text', name, unit: '', description, get });
  };
  const phase = (c: ReadContext, i: number): PhaseMeasurement => c.snapshot.measurement.phases[i] as PhaseMeasurement;
  const mean3 = (f: (p: PhaseMeasurement) => number) => (c: ReadContext): number =>
    (f(phase(c, 0)) + f(phase(c, 1)) + f(phase(c, 2))) / 3;

  // Clock
  num('clock.unixTime', 's', 'meter clock, seconds since the Unix epoch', (c) => Math.floor(c.snapshot.timeMs / 1000));

  // Per-phase measurements
  const perPhase: Array<[string, string, string, (p: PhaseMeasurement) => number]> = [
    ['voltage', 'V', 'phase-neutral RMS voltage', (p) => p.voltageRms],
    ['current', 'A', 'RMS current', (p) => p.currentRms],
    ['power.active', 'W', 'active power (positive = import)', (p) => p.activePower],
    ['power.reactive', 'var', 'fundamental reactive power (positive = inductive)', (p) => p.reactivePower],
    ['power.apparent', 'VA', 'apparent power Urms*Irms', (p) => p.apparentPower],
    ['powerFactor', '', 'true power factor P/S, signed like P', (p) => p.powerFactor],
    ['displacementPowerFactor', '', 'displacement power factor cos(phi1)', (p) => p.displacementPowerFactor],
    ['thd.voltage', '', 'voltage THD (ratio of the fundamental)', (p) => p.voltageThd],
    ['thd.current', '', 'current THD (ratio of the fundamental)', (p) => p.currentThd],
    ['angle.voltage', 'rad', 'fundamental voltage phase angle relative to U1', (p) => p.voltageHarmonicPhases[1] ?? 0],
    ['angle.current', 'rad', 'fundamental current phase angle relative to U1', (p) => p.currentHarmonicPhases[1] ?? 0],
    ['phaseAngle', 'rad', 'angle by which the fundamental current lags its voltage', (p) => wrapAngle((p.voltageHarmonicPhases[1] ?? 0) - (p.currentHarmonicPhases[1] ?? 0))],
  ];
  for (const [base, unit, description, f] of perPhase) {
    for (const i of PHASE_INDEX) {
      num(`${base}.${PHASES[i]}`, unit, `${description}, L${i + 1}`, (c) => f(phase(c, i)));
    }
  }
  num('voltage.average', 'V', 'mean of the three phase-neutral voltages', mean3((p) => p.voltageRms));
  num('current.average', 'A', 'mean of the three phase currents', mean3((p) => p.currentRms));
  num('current.sum', 'A', 'sum of the three phase currents', (c) => 3 * mean3((p) => p.currentRms)(c));
  num('current.neutral', 'A', 'neutral current', (c) => c.snapshot.measurement.neutralCurrent);
  num('thd.voltage.average', '', 'mean voltage THD of the three phases', mean3((p) => p.voltageThd));
  num('thd.current.average', '', 'mean current THD of the three phases', mean3((p) => p.currentThd));
  const lineNames = ['l12', 'l23', 'l31'] as const;
  for (const i of PHASE_INDEX) {
    num(`voltage.${lineNames[i]}`, 'V', `line-line RMS voltage ${lineNames[i].toUpperCase()}`, (c) => c.snapshot.measurement.lineVoltages[i]);
  }
  for (const i of PHASE_INDEX) {
    const j = ((i + 1) % 3) as 0 | 1 | 2;
    num(`thd.voltage.${lineNames[i]}`, '', `line-line voltage THD ${lineNames[i].toUpperCase()} (ratio of the fundamental), from the phases' harmonic phasors`, (c) => lineVoltageThd(phase(c, i), phase(c, j)));
  }
  num('thd.voltage.lineAverage', '', 'mean line-line voltage THD of the three pairs', (c) =>
    (lineVoltageThd(phase(c, 0), phase(c, 1)) + lineVoltageThd(phase(c, 1), phase(c, 2)) + lineVoltageThd(phase(c, 2), phase(c, 0))) / 3);
  num('voltage.lineAverage', 'V', 'mean of the three line-line voltages', (c) => {
    const v = c.snapshot.measurement.lineVoltages;
    return (v[0] + v[1] + v[2]) / 3;
  });
  num('power.active.total', 'W', 'three-phase active power (positive = import)', (c) => c.snapshot.measurement.total.activePower);
  num('power.active.import', 'W', 'three-phase active power when importing (P > 0), else 0', (c) => Math.max(0, c.snapshot.measurement.total.activePower));
  num('power.active.export', 'W', 'three-phase active power when exporting (-P when P < 0), else 0', (c) => Math.max(0, -c.snapshot.measurement.total.activePower));
  num('power.reactive.total', 'var', 'three-phase fundamental reactive power', (c) => c.snapshot.measurement.total.reactivePower);
  num('power.apparent.total', 'VA', 'three-phase arithmetic apparent power (sum of S)', (c) => c.snapshot.measurement.total.apparentPower);
  num('power.apparent.vectorTotal', 'VA', 'three-phase vector apparent power sqrt(P^2+Q^2)', (c) => c.snapshot.measurement.total.vectorApparentPower);
  num('powerFactor.total', '', 'three-phase power factor P/S', (c) => c.snapshot.measurement.total.powerFactor);
  num('displacementPowerFactor.total', '', 'three-phase displacement power factor', (c) => c.snapshot.measurement.total.displacementPowerFactor);
  num('frequency', 'Hz', 'frequency', (c) => c.snapshot.measurement.frequencyHz);
  num('unbalance.voltage', '', 'voltage unbalance |negative|/|positive| sequence', (c) => c.snapshot.measurement.voltageUnbalance);
  num('unbalance.current', '', 'current unbalance |negative|/|positive| sequence', (c) => c.snapshot.measurement.currentUnbalance);
  num('phaseSequence', '', 'phase sequence: 1 = abc, 2 = acb, 0 = unknown', (c) => {
    const s = c.snapshot.measurement.phaseSequence;
    return s === 'abc' ? 1 : s === 'acb' ? 2 : 0;
  });
  num('phaseSequence.reversed', '', 'phase sequence reversed: 1 = L1-L3-L2 (acb), 0 = L1-L2-L3 or unknown', (c) => (c.snapshot.measurement.phaseSequence === 'acb' ? 1 : 0));
  num('phaseAngle.total', 'rad', 'three-phase phase angle atan2(Q, P) of the totals (positive = inductive)', (c) => {
    const t = c.snapshot.measurement.total;
    return t.activePower === 0 && t.reactivePower === 0 ? 0 : Math.atan2(t.reactivePower, t.activePower);
  });

  // Harmonics h1..h31 (RMS magnitude)
  for (const signal of ['voltage', 'current'] as const) {
    const unit = signal === 'voltage' ? 'V' : 'A';
    for (const i of PHASE_INDEX) {
      for (let h = 1; h <= HARMONIC_ORDERS; h += 1) {
        const order = h;
        const pick = signal === 'voltage'
          ? (p: PhaseMeasurement): number => p.voltageHarmonics[order] ?? 0
          : (p: PhaseMeasurement): number => p.currentHarmonics[order] ?? 0;
        num(`harmonics.${signal}.${PHASES[i]}.h${h}`, unit, `${signal} harmonic ${h} RMS, L${i + 1}`, (c) => pick(phase(c, i)));
      }
    }
  }

  // Energy (total and per phase)
  const energyFields: Array<[string, string, string, (e: EnergyRegisters) => number]> = [
    ['activeImportWh', 'Wh', 'active energy imported (QI+QIV)', (e) => e.activeImportWh],
    ['activeExportWh', 'Wh', 'active energy exported (QII+QIII)', (e) => e.activeExportWh],
    ['activeNetWh', 'Wh', 'active energy import minus export', (e) => e.activeNetWh ?? e.activeImportWh - e.activeExportWh],
    ['activeSumWh', 'Wh', 'active energy import plus export', (e) => e.activeImportWh + e.activeExportWh],
    ['reactiveQ1Varh', 'varh', 'reactive energy quadrant I (import, inductive)', (e) => e.reactiveQ1varh],
    ['reactiveQ2Varh', 'varh', 'reactive energy quadrant II', (e) => e.reactiveQ2varh],
    ['reactiveQ3Varh', 'varh', 'reactive energy quadrant III', (e) => e.reactiveQ3varh],
    ['reactiveQ4Varh', 'varh', 'reactive energy quadrant IV (import, capacitive)', (e) => e.reactiveQ4varh],
    ['reactiveImportVarh', 'varh', 'reactive energy with Q > 0 (QI+QII)', (e) => e.reactiveQ1varh + e.reactiveQ2varh],
    ['reactiveExportVarh', 'varh', 'reactive energy with Q < 0 (QIII+QIV)', (e) => e.reactiveQ3varh + e.reactiveQ4varh],
    ['reactiveSumVarh', 'varh', 'reactive energy, all four quadrants', (e) => e.reactiveQ1varh + e.reactiveQ2varh + e.reactiveQ3varh + e.reactiveQ4varh],
    ['apparentVAh', 'VAh', 'apparent energy', (e) => e.apparentVAh],
  ];
  for (const [field, unit, description, f] of energyFields) {
    num(`energy.total.${field}`, unit, `${description}, three-phase`, (c) => f(c.snapshot.energy.total));
    for (const i of PHASE_INDEX) {
      num(`energy.${PHASES[i]}.${field}`, unit, `${description}, L${i + 1}`, (c) => f(c.snapshot.energy.phases[i]));
    }
  }

  // Charge and running time
  num('energy.chargeAh', 'Ah', 'charge: the three line currents summed and integrated', (c) => c.snapshot.energy.chargeAh);
  num('runningTime.load', 's', 'load running time: time during which any line current flowed', (c) => c.snapshot.energy.loadRunningS, true);

  // Tariffs
  num('tariff.active', '', 'active tariff 1..8', (c) => c.snapshot.activeTariff);
  for (let t = 1; t <= TARIFF_COUNT; t += 1) {
    const index = t - 1;
    num(`tariff.${t}.activeImportWh`, 'Wh', `active energy imported in tariff T${t}`, (c) => c.snapshot.energy.tariffs[index]?.activeImportWh ?? 0);
    num(`tariff.${t}.activeExportWh`, 'Wh', `active energy exported in tariff T${t}`, (c) => c.snapshot.energy.tariffs[index]?.activeExportWh ?? 0);
    num(`tariff.${t}.reactiveImportVarh`, 'varh', `reactive energy with Q > 0 (QI+QII) in tariff T${t}`, (c) => c.snapshot.energy.tariffs[index]?.reactiveImportVarh ?? 0);
    num(`tariff.${t}.reactiveExportVarh`, 'varh', `reactive energy with Q < 0 (QIII+QIV) in tariff T${t}`, (c) => c.snapshot.energy.tariffs[index]?.reactiveExportVarh ?? 0);
    num(`tariff.${t}.co2Kg`, 'kg', `CO2 attributed to tariff T${t}`, (c) => c.snapshot.energy.tariffs[index]?.co2Kg ?? 0);
  }
  num('co2Kg', 'kg', 'CO2 attributed to imported energy', (c) => c.snapshot.co2Kg);

  // Demand
  const demandQuantities: Array<[string, string, (c: ReadContext) => DemandRegister]> = [
    ['activeImport', 'W', (c) => c.snapshot.demand.activeImport],
    ['activeExport', 'W', (c) => c.snapshot.demand.activeExport],
    ['apparent', 'VA', (c) => c.snapshot.demand.apparent],
    ['reactive', 'var', (c) => c.snapshot.demand.reactive],
    ...PHASE_INDEX.map((i): [string, string, (c: ReadContext) => DemandRegister] => [
      `current.${PHASES[i]}`, 'A', (c) => c.snapshot.demand.phaseCurrent[i],
    ]),
    ['current.neutral', 'A', (c) => c.snapshot.demand.neutralCurrent],
    ...PHASE_INDEX.map((i): [string, string, (c: ReadContext) => DemandRegister] => [
      `activeImport.${PHASES[i]}`, 'W', (c) => c.snapshot.demand.phaseActiveImport[i],
    ]),
    ...PHASE_INDEX.map((i): [string, string, (c: ReadContext) => DemandRegister] => [
      `activeExport.${PHASES[i]}`, 'W', (c) => c.snapshot.demand.phaseActiveExport[i],
    ]),
  ];
  for (const [name, unit, reg] of demandQuantities) {
    num(`demand.${name}.present`, unit, `${name} demand, running interval`, (c) => reg(c).present);
    num(`demand.${name}.last`, unit, `${name} demand, last closed interval`, (c) => reg(c).last);
    num(`demand.${name}.max`, unit, `${name} maximum demand`, (c) => reg(c).max);
    num(`demand.${name}.maxTime`, 's', `${name} maximum demand time (Unix s, 0 = none)`, (c) => Math.floor(reg(c).maxTimeMs / 1000));
    for (let t = 1; t <= TARIFF_COUNT; t += 1) {
      const index = t - 1;
      num(`demand.${name}.max.t${t}`, unit, `${name} maximum demand in tariff T${t}`, (c) => reg(c).maxByTariff[index] ?? 0);
      num(`demand.${name}.maxTime.t${t}`, 's', `${name} maximum demand time in tariff T${t}`, (c) => Math.floor((reg(c).maxTimeByTariffMs[index] ?? 0) / 1000));
    }
  }

  num('demand.current.max', 'A', 'highest maximum current demand of the three phases', (c) => {
    const [l1, l2, l3] = c.snapshot.demand.phaseCurrent;
    return Math.max(l1.max, l2.max, l3.max);
  });

  // Relay, counters, settings
  num('relay.closed', '', 'load relay: 1 = closed (load connected), 0 = open', (c) => (c.snapshot.relayClosed ? 1 : 0));
  num('billing.periodCount', '', 'billing periods closed so far', (c) => c.snapshot.billingPeriodCount);
  num('security.unlocked', '', '1 while password-protected settings are unlocked', (c) => (c.unlocked ? 1 : 0));
  num('settings.ctRatio', '', 'CT ratio primary/secondary', (c) => c.snapshot.settings.ctRatio);
  num('settings.ptRatio', '', 'PT ratio primary/secondary', (c) => c.snapshot.settings.ptRatio);
  num('settings.nominalVoltage', 'V', 'nominal phase-neutral voltage', (c) => c.snapshot.settings.nominalVoltage);
  num('settings.nominalFrequency', 'Hz', 'nominal frequency', (c) => c.snapshot.settings.nominalFrequency);
  num('settings.nominalCurrent', 'A', 'nominal current In', (c) => c.snapshot.settings.nominalCurrent);
  num('settings.nominalPower', 'W', 'nominal three-phase power 3 x Un x In', (c) => 3 * c.snapshot.settings.nominalVoltage * c.snapshot.settings.nominalCurrent);
  num('settings.demandMethod', '', 'demand method: 0 = block, 1 = sliding', (c) => (c.snapshot.settings.demandMethod === 'sliding' ? 1 : 0));
  num('settings.demandPeriod', 's', 'demand interval', (c) => c.snapshot.settings.demandPeriodS);
  num('settings.demandSubPeriod', 's', 'demand sub-interval (sliding)', (c) => c.snapshot.settings.demandSubPeriodS);
  num('settings.profilePeriod', 's', 'load-profile interval', (c) => c.snapshot.settings.profilePeriodS);
  num('settings.emissionFactor', 'kg/kWh', 'CO2 emission factor', (c) => c.snapshot.settings.emissionFactorKgPerKWh);

  // Identity
  num('identity.serialNumber', '', 'serial number', (c) => c.snapshot.identity.serialNumber);
  text('identity.vendor', 'vendor name', (c) => c.snapshot.identity.vendor);
  text('identity.model', 'model name', (c) => c.snapshot.identity.model);
  text('identity.firmware', 'firmware version', (c) => c.snapshot.identity.firmware);
  text('identity.serialText', 'serial number as text', (c) => String(c.snapshot.identity.serialNumber));

  // Events: latest, and the selected record window
  const eventFields = (prefix: string, label: string, pick: (c: ReadContext) => MeterEventRecord | undefined): void => {
    num(`${prefix}.valid`, '', `${label}: 1 when present`, (c) => (pick(c) === undefined ? 0 : 1));
    num(`${prefix}.sequence`, '', `${label}: sequence number`, (c) => pick(c)?.sequence ?? 0);
    num(`${prefix}.kindCode`, '', `${label}: kind code (see docs/registers.md)`, (c) => eventKindCode(pick(c)?.kind));
    text(`${prefix}.kind`, `${label}: kind`, (c) => pick(c)?.kind ?? '');
    num(`${prefix}.phase`, '', `${label}: phase (0 = meter, 1..3)`, (c) => pick(c)?.phase ?? 0);
    num(`${prefix}.startTime`, 's', `${label}: start (Unix s)`, (c) => Math.floor((pick(c)?.startMs ?? 0) / 1000));
    num(`${prefix}.endTime`, 's', `${label}: end (Unix s, 0 while active)`, (c) => Math.floor((pick(c)?.endMs ?? 0) / 1000));
    num(`${prefix}.extremeValue`, '', `${label}: extreme value (SI unit of the quantity)`, (c) => pick(c)?.extremeValue ?? 0);
  };
  num('event.count', '', 'events logged so far', (c) => c.snapshot.eventCount);
  eventFields('event.latest', 'latest event', (c) => c.snapshot.latestEvent);
  num('eventRecord.index', '', 'selected event record (0 = newest)', (c) => c.eventIndex);
  eventFields('eventRecord', 'selected event record', (c) => c.eventRecord);

  const profileFields = (prefix: string, label: string, pick: (c: ReadContext) => LoadProfileRecord | undefined): void => {
    num(`${prefix}.valid`, '', `${label}: 1 when present`, (c) => (pick(c) === undefined ? 0 : 1));
    num(`${prefix}.time`, 's', `${label}: interval end (Unix s)`, (c) => Math.floor((pick(c)?.timeMs ?? 0) / 1000));
    for (const i of PHASE_INDEX) {
      num(`${prefix}.voltage.${PHASES[i]}`, 'V', `${label}: mean voltage L${i + 1}`, (c) => pick(c)?.meanVoltage[i] ?? 0);
      num(`${prefix}.current.${PHASES[i]}`, 'A', `${label}: mean current L${i + 1}`, (c) => pick(c)?.meanCurrent[i] ?? 0);
    }
    num(`${prefix}.activeImportWh`, 'Wh', `${label}: active energy imported`, (c) => pick(c)?.activeImportWh ?? 0);
    num(`${prefix}.activeExportWh`, 'Wh', `${label}: active energy exported`, (c) => pick(c)?.activeExportWh ?? 0);
    num(`${prefix}.reactiveLagVarh`, 'varh', `${label}: reactive energy lagging`, (c) => pick(c)?.reactiveLagVarh ?? 0);
    num(`${prefix}.reactiveLeadVarh`, 'varh', `${label}: reactive energy leading`, (c) => pick(c)?.reactiveLeadVarh ?? 0);
    num(`${prefix}.apparentVAh`, 'VAh', `${label}: apparent energy`, (c) => pick(c)?.apparentVAh ?? 0);
    num(`${prefix}.frequency`, 'Hz', `${label}: mean frequency`, (c) => pick(c)?.frequencyHz ?? 0);
    num(`${prefix}.status`, '', `${label}: status flags`, (c) => pick(c)?.status ?? 0);
  };
  num('profile.count', '', 'load-profile records closed so far', (c) => c.snapshot.profileCount);
  profileFields('profile.latest', 'latest load-profile record', (c) => c.snapshot.latestProfile);
  num('profileRecord.index', '', 'selected load-profile record (0 = newest)', (c) => c.profileIndex);
  profileFields('profileRecord', 'selected load-profile record', (c) => c.profileRecord);
  return catalogue;
}

/** Every quantity a map may name, by name. */
export const QUANTITIES: ReadonlyMap<string, Quantity> = buildCatalogue();
