/**
 * What `submeter analyze` prints, from measured windows: the JSON document, the CSV rows and the
 * human-readable table. SI units throughout; THD, harmonics and unbalance in percent (of the
 * fundamental, resp. of the positive sequence), the only place percent appears.
 */
import type { PhaseMeasurement, WindowMeasurement } from '../metrology/measurement.js';
import { summarizeWindows } from '../metrology/summarize-windows.js';

export interface PhaseReport {
  phase: 'L1' | 'L2' | 'L3';
  voltageRms: number;
  currentRms: number;
  activePower: number;
  reactivePower: number;
  apparentPower: number;
  powerFactor: number;
  displacementPowerFactor: number;
  /** Percent of the fundamental. */
  voltageThd: number;
  currentThd: number;
  /** Index = order 0..31, percent of the fundamental (index 1 = 100). */
  voltageHarmonics: number[];
  currentHarmonics: number[];
}

export interface TotalReport {
  activePower: number;
  reactivePower: number;
  apparentPower: number;
  vectorApparentPower: number;
  powerFactor: number;
  displacementPowerFactor: number;
  lineVoltages: [number, number, number];
  neutralCurrent: number;
  /** Percent. */
  voltageUnbalance: number;
  currentUnbalance: number;
  phaseSequence: string;
  /** Active energy over the measured time (Wh), reactive (varh). */
  activeEnergyWh: number;
  reactiveEnergyVarh: number;
}

export interface MeasurementReport {
  frequencyHz: number;
  phases: PhaseReport[];
  total: TotalReport;
}

export interface WindowReport extends MeasurementReport {
  startTimeS: number;
  durationS: number;
  cycles: number;
  partial: boolean;
}

export interface AnalyzeDocument {
  summary: MeasurementReport;
  windows: WindowReport[];
}

function percentOfFundamental(magnitudes: Float64Array): number[] {
  const fundamental = magnitudes[1];
  return Array.from(magnitudes, (m) => (fundamental > 0 ? (100 * m) / fundamental : 0));
}

function phaseReport(m: PhaseMeasurement, index: number): PhaseReport {
  return {
    phase: (['L1', 'L2', 'L3'] as const)[index],
    voltageRms: m.voltageRms,
    currentRms: m.currentRms,
    activePower: m.activePower,
    reactivePower: m.reactivePower,
    apparentPower: m.apparentPower,
    powerFactor: m.powerFactor,
    displacementPowerFactor: m.displacementPowerFactor,
    voltageThd: 100 * m.voltageThd,
    currentThd: 100 * m.currentThd,
    voltageHarmonics: percentOfFundamental(m.voltageHarmonics),
    currentHarmonics: percentOfFundamental(m.currentHarmonics),
  };
}

function measurementReport(w: WindowMeasurement): MeasurementReport {
  return {
    frequencyHz: w.frequencyHz,
    phases: w.phases.map(phaseReport),
    total: {
      activePower: w.total.activePower,
      reactivePower: w.total.reactivePower,
      apparentPower: w.total.apparentPower,
      vectorApparentPower: w.total.vectorApparentPower,
      powerFactor: w.total.powerFactor,
      displacementPowerFactor: w.total.displacementPowerFactor,
      lineVoltages: [...w.lineVoltages],
      neutralCurrent: w.neutralCurrent,
      voltageUnbalance: 100 * w.voltageUnbalance,
      currentUnbalance: 100 * w.currentUnbalance,
      phaseSequence: w.phaseSequence,
      activeEnergyWh: (w.total.activePower * w.durationS) / 3600,
      reactiveEnergyVarh: (w.total.reactivePower * w.durationS) / 3600,
    },
  };
}

export function analyzeDocument(windows: readonly WindowMeasurement[]): AnalyzeDocument {
  return {
    summary: measurementReport(summarizeWindows(windows)),
    windows: windows.map((w) => ({
      startTimeS: w.startTimeS,
      durationS: w.durationS,
      cycles: w.cycles,
      partial: w.partial,
      ...measurementReport(w),
    })),
  };
}

const CSV_PHASE_FIELDS = ['voltageRms', 'currentRms', 'activePower', 'reactivePower', 'apparentPower', 'powerFactor', 'displacementPowerFactor', 'voltageThd', 'currentThd'] as const;

/** One header line and one line per window. */
export function analyzeCsv(windows: readonly WindowMeasurement[]): string {
  const header = ['startTimeS', 'durationS', 'cycles', 'partial', 'frequencyHz'];
  for (const phase of ['L1', 'L2', 'L3']) for (const f of CSV_PHASE_FIELDS) header.push(`${phase}.${f}`);
  header.push('activePower', 'reactivePower', 'apparentPower', 'powerFactor', 'U12', 'U23', 'U31', 'neutralCurrent', 'voltageUnbalance', 'currentUnbalance', 'phaseSequence');
  const lines = [header.join(',')];
  for (const w of analyzeDocument(windows).windows) {
    const row: (string | number | boolean)[] = [w.startTimeS, w.durationS, w.cycles, w.partial, w.frequencyHz];
    for (const p of w.phases) for (const f of CSV_PHASE_FIELDS) row.push(p[f]);
    const t = w.total;
    row.push(t.activePower, t.reactivePower, t.apparentPower, t.powerFactor, ...t.lineVoltages, t.neutralCurrent, t.voltageUnbalance, t.currentUnbalance, t.phaseSequence);
    lines.push(row.join(','));
  }
  return `${lines.join('\n')}\n`;
}

function fixed(value: number, digits: number, width: number): string {
  return value.toFixed(digits).padStart(width);
}

/** Human-readable: one line per window, then the summary per phase. */
export function analyzeTable(windows: readonly WindowMeasurement[], title: string): string {
  const doc = analyzeDocument(windows);
  const out: string[] = [title, ''];
  out.push('  start s   dur ms  cyc   f Hz      U1 V     U2 V     U3 V     I1 A     I2 A     I3 A        P W      Q var      PF  THDu% THDi%');
  for (const w of doc.windows) {
    const thdU = Math.max(...w.phases.map((p) => p.voltageThd));
    const thdI = Math.max(...w.phases.map((p) => p.currentThd));
    out.push(
      `${fixed(w.startTimeS, 3, 9)} ${fixed(w.durationS * 1000, 2, 8)} ${String(w.cycles).padStart(4)}${w.partial ? '*' : ' '}` +
        `${fixed(w.frequencyHz, 4, 8)}` +
        w.phases.map((p) => fixed(p.voltageRms, 2, 9)).join('') +
        w.phases.map((p) => fixed(p.currentRms, 3, 9)).join('') +
        `${fixed(w.total.activePower, 1, 11)}${fixed(w.total.reactivePower, 1, 11)}${fixed(w.total.powerFactor, 4, 8)}` +
        `${fixed(thdU, 2, 7)}${fixed(thdI, 2, 6)}`,
    );
  }
  if (doc.windows.some((w) => w.partial)) out.push('  * partial: the record holds fewer cycles than one window; measured over the whole cycles it has');
  const s = doc.summary;
  const measuredS = windows.reduce((sum, w) => sum + w.durationS, 0);
  out.push('', `summary over ${windows.length} window(s), ${measuredS.toFixed(3)} s: f = ${s.frequencyHz.toFixed(4)} Hz, sequence ${s.total.phaseSequence}`);
  out.push('  phase     U V      I A        P W      Q var       S VA      PF     DPF  THDu%  THDi%');
  for (const p of s.phases) {
    out.push(
      `  ${p.phase}  ${fixed(p.voltageRms, 2, 8)} ${fixed(p.currentRms, 3, 8)} ${fixed(p.activePower, 1, 10)} ${fixed(p.reactivePower, 1, 10)} ${fixed(p.apparentPower, 1, 10)}` +
        ` ${fixed(p.powerFactor, 4, 7)} ${fixed(p.displacementPowerFactor, 4, 7)} ${fixed(p.voltageThd, 2, 6)} ${fixed(p.currentThd, 2, 6)}`,
    );
  }
  const t = s.total;
  out.push(
    `  total ${fixed(t.activePower, 1, 10)} W ${fixed(t.reactivePower, 1, 10)} var ${fixed(t.apparentPower, 1, 10)} VA  PF ${t.powerFactor.toFixed(4)}  DPF ${t.displacementPowerFactor.toFixed(4)}`,
    `  U12/U23/U31 ${t.lineVoltages.map((v) => v.toFixed(2)).join(' / ')} V, neutral ${t.neutralCurrent.toFixed(3)} A, unbalance U ${t.voltageUnbalance.toFixed(3)} % I ${t.currentUnbalance.toFixed(3)} %`,
    `  energy over the measured time: ${t.activeEnergyWh.toFixed(6)} Wh, ${t.reactiveEnergyVarh.toFixed(6)} varh`,
  );
  return `${out.join('\n')}\n`;
}
